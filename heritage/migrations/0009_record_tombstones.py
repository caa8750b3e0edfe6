from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('heritage', '0008_record_imports'),
    ]

    operations = [
        migrations.CreateModel(
            name='RecordTombstone',
            fields=[
                ('record_id', models.BigIntegerField(primary_key=True, serialize=False, verbose_name='record id')),
                ('deleted_at', models.DateTimeField(verbose_name='withdrawn at')),
                ('kind', models.CharField(max_length=20, verbose_name='kind')),
                ('ethnic_groups', models.ManyToManyField(blank=True, related_name='+', to='heritage.ethnicgroup', verbose_name='ethnic groups')),
            ],
            options={
                'verbose_name': 'record tombstone',
                'indexes': [models.Index(fields=['deleted_at', 'record_id'], name='heritage_tombstone_harvest')],
            },
        ),
    ]
