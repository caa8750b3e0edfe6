// Bản Làng's service worker: keeps the pages a resident read, the latest market prices and
// health news, and an offline page in their language, for reading without a connection.
// Served at /sw.js by cms.offline.service_worker, which fills in CONFIG.
"use strict";

const CONFIG = {{ config }};
const PAGES = `banlang-pages-${CONFIG.version}`; // pages as they were read, newest last
const KEPT = `banlang-kept-${CONFIG.version}`; // kept ahead of time: prices, health, offline page
const STATIC = `banlang-static-${CONFIG.version}`; // style sheets, fonts, scripts
const OURS = [PAGES, KEPT, STATIC];
// Static files whose names carry a hash of their content never change: served from the cache.
const VERSIONED_NAME = /\.[0-9a-f]{8,}\.[a-z0-9]+$/;
const LIST_FETCHED = "X-Banlang-Fetched";

self.addEventListener("install", () => self.skipWaiting());

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) =>
        Promise.all(
          names
            .filter((name) => name.startsWith("banlang-") && !OURS.includes(name))
            .map((name) => caches.delete(name)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("message", (event) => {
  const wish = event.data || {};
  const work = [];
  if (typeof wish.read === "string" && sameOrigin(wish.read)) {
    work.push(keepFirstRead(wish.read));
  }
  if (typeof wish.keep === "string" && sameOrigin(wish.keep)) {
    work.push(keepAhead(wish.keep));
  }
  event.waitUntil(Promise.all(work).catch(() => {}));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || neverKept(url)) {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(readPage(event));
  } else if (url.pathname.startsWith(CONFIG.static)) {
    event.respondWith(readStatic(request, url));
  }
});

function sameOrigin(address) {
  return new URL(address, self.location.href).origin === self.location.origin;
}

function neverKept(url) {
  return CONFIG.never.some((prefix) => url.pathname.startsWith(prefix));
}

// A page the reader may keep: a public HTML page of ours, not one made for a signed-in reader
// or under a cultural protocol (those are sent "private" or "no-store").
function keepable(response) {
  if (!response || response.status !== 200 || response.type !== "basic") {
    return false;
  }
  const type = response.headers.get("Content-Type") || "";
  const control = response.headers.get("Cache-Control") || "";
  return type.startsWith("text/html") && !/private|no-store/i.test(control);
}

async function remember(cacheName, request, response, limit) {
  const cache = await caches.open(cacheName);
  await cache.delete(request, { ignoreVary: true });
  await cache.put(request, response);
  if (limit) {
    const keys = await cache.keys();
    await Promise.all(keys.slice(0, Math.max(0, keys.length - limit)).map((key) => cache.delete(key)));
  }
}

// Network first, so readers see today's page; the copy they read last when offline.
async function readPage(event) {
  const request = event.request;
  try {
    const response = await fetch(request);
    if (keepable(response)) {
      event.waitUntil(remember(PAGES, request, response.clone(), CONFIG.pages_limit));
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { ignoreVary: true });
    return kept || offlinePage(new URL(request.url));
  }
}

// The offline page in the language of the address, else the one kept last, else the browser's.
async function offlinePage(url) {
  const cache = await caches.open(KEPT);
  const language = url.pathname.split("/")[1];
  if (CONFIG.languages.includes(language)) {
    const own = await cache.match(`/${language}${CONFIG.offline_path}`, { ignoreVary: true });
    if (own) {
      return own;
    }
  }
  const keys = await cache.keys();
  const any = keys.reverse().find((key) => new URL(key.url).pathname.endsWith(CONFIG.offline_path));
  return (any && (await cache.match(any, { ignoreVary: true }))) || Response.error();
}

async function readStatic(request, url) {
  const versioned = VERSIONED_NAME.test(url.pathname);
  if (versioned) {
    const kept = await caches.match(request, { ignoreVary: true });
    if (kept) {
      return kept;
    }
  }
  try {
    const response = await fetch(request);
    if (response.status === 200 && response.type === "basic") {
      await remember(STATIC, request, response.clone(), CONFIG.static_limit);
    }
    return response;
  } catch (error) {
    const kept = await caches.match(request, { ignoreVary: true });
    return kept || Response.error();
  }
}

async function keepFirstRead(address) {
  if (await caches.match(address, { ignoreVary: true })) {
    return;
  }
  const response = await fetch(address, { credentials: "same-origin" });
  if (keepable(response)) {
    await remember(PAGES, new Request(address), response, CONFIG.pages_limit);
  }
}

let keeping = null;

// Fetch what the site lists for reading offline in the reader's language (market prices, the
// health section and its newest articles, the offline page), at most every few hours.
function keepAhead(listAddress) {
  if (!keeping) {
    keeping = refreshKept(listAddress).finally(() => {
      keeping = null;
    });
  }
  return keeping;
}

async function refreshKept(listAddress) {
  const cache = await caches.open(KEPT);
  const previous = await cache.match(listAddress);
  const fetchedAt = previous ? Number(previous.headers.get(LIST_FETCHED)) : 0;
  if (Date.now() - fetchedAt < CONFIG.refresh_seconds * 1000) {
    return;
  }
  const listResponse = await fetch(listAddress, { credentials: "same-origin" });
  if (!listResponse.ok) {
    return;
  }
  const list = await listResponse.json();
  const wanted = new Set(list.pages.map((address) => new URL(address, self.location.href).href));
  for (const address of wanted) {
    const response = await fetch(address, { credentials: "same-origin" });
    if (keepable(response)) {
      await cache.put(address, response);
    }
  }
  for (const address of list.static) {
    await readStatic(new Request(address), new URL(address, self.location.href));
  }
  for (const key of await cache.keys()) {
    if (!wanted.has(key.url)) {
      await cache.delete(key);
    }
  }
  const stamp = new Headers({ "Content-Type": "application/json", [LIST_FETCHED]: String(Date.now()) });
  await cache.put(listAddress, new Response(JSON.stringify(list), { headers: stamp }));
}

// Web push (outreach): show the bulletin, and open its page when the notification is tapped.
self.addEventListener("push", (event) => {
  const data = event.data ? event.data.json() : {};
  event.waitUntil(
    self.registration.showNotification(data.title || "Bản Làng", {
      body: data.body || "",
      lang: data.lang || "",
      data: { url: data.url || "/" },
    }),
  );
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data.url, self.location.origin);
  if (target.origin === self.location.origin) {
    event.waitUntil(self.clients.openWindow(target.href));
  }
});
