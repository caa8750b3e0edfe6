/* Names every Draftail editor after its field (wagtail/wagtail#14205): Wagtail labels the hidden
   input the editor replaces, so the textbox people type in has no accessible name. It gets the
   field's label, or inside a StreamField the headings of the panels and blocks around it. */
(() => {
  const UNNAMED = '.Draftail-Editor [role="textbox"]:not([aria-labelledby]):not([aria-label])';

  const labelIds = (textbox) => {
    const field = textbox.closest("[data-draftail-editor-wrapper]")?.previousElementSibling;
    const label = field?.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`);
    if (label) {
      label.id ||= `${field.id}-label`;
      return [label.id];
    }
    const ids = [];
    for (let panel = textbox.closest(".w-panel"); panel; panel = panel.parentElement.closest(".w-panel")) {
      const heading = panel.querySelector(":scope > .w-panel__header [data-panel-heading]");
      if (heading?.id) ids.unshift(heading.id);
    }
    return ids;
  };

  const nameEditors = () => {
    for (const textbox of document.querySelectorAll(UNNAMED)) {
      const ids = labelIds(textbox);
      if (ids.length) textbox.setAttribute("aria-labelledby", ids.join(" "));
    }
  };

  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    requestAnimationFrame(() => {
      scheduled = false;
      nameEditors();
    });
  });
  observer.observe(document.body, { childList: true, subtree: true });
  nameEditors();
})();
