// The person app's service worker: shows colour-change notifications and tells open pages at once.
// No fetch handler: the pages always talk to the network, so a cached code can never be shown stale.
/// <reference lib="webworker" />
export {};

declare const self: ServiceWorkerGlobalScope;

interface ColorPush {
  personId?: string;
  color?: "green" | "yellow" | "red";
  previousColor?: string;
  at?: string;
}

const WORDS = {
  green: "✓ 绿码 · Green code",
  yellow: "! 黄码 · Yellow code",
  red: "✕ 红码 · Red code",
} as const;

self.addEventListener("install", () => {
  void self.skipWaiting();
});
self.addEventListener("activate", (e) => {
  e.waitUntil(self.clients.claim());
});

self.addEventListener("push", (e) => {
  let data: ColorPush = {};
  try {
    data = (e.data?.json() ?? {}) as ColorPush;
  } catch {
    /* an unreadable payload still means "look again" */
  }
  e.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      for (const page of pages) page.postMessage({ type: "color-changed", ...data });
      // The service worker cannot know the page's language, so the notice is in both.
      const words = data.color ? WORDS[data.color] : "";
      await self.registration.showNotification("健康码颜色变化 · Health code changed", {
        body: words,
        tag: `color-${data.personId ?? ""}`,
        data: { url: "/#status" },
      });
    })(),
  );
});

self.addEventListener("notificationclick", (e) => {
  e.notification.close();
  e.waitUntil(
    (async () => {
      const pages = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
      const open = pages[0];
      if (open) {
        await open.focus();
        open.postMessage({ type: "color-changed" });
      } else await self.clients.openWindow("/#status");
    })(),
  );
});
