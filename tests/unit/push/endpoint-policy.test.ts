import { describe, expect, it } from "vitest";
import { checkPushEndpoint } from "../../../workers/push/endpoint-policy";

const prod = { devMode: false };
const dev = { devMode: true };

describe("checkPushEndpoint", () => {
  it.each([
    "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
    "https://web.push.apple.com/QGuQyavXutnMH",
    "https://push.example.net:8443/p/abc",
    "https://push.example.net./p/abc",
    "https://8.8.8.8/p",
    "https://[2606:4700:4700::1111]/p",
  ])("accepts the public https endpoint %s", (url) => {
    expect(checkPushEndpoint(url, prod)).toEqual({ ok: true });
  });

  it.each([
    ["http://push.example.net/p", /https/],
    ["ftp://push.example.net/p", /https/],
    ["not a url", /not a URL/],
    ["https://user:pass@push.example.net/p", /credentials/],
    ["https://user@push.example.net/p", /credentials/],
    ["https://localhost/p", /fully qualified/],
    ["https://pushbox/p", /fully qualified/],
    ["https://api.localhost/p", /localhost/],
    ["https://printer.local/p", /\.local/],
    ["https://metadata.google.internal/p", /\.internal/],
    ["https://router.home.arpa/p", /home\.arpa/],
    ["https://127.0.0.1/p", /private/],
    ["https://127.1/p", /private/],
    ["https://0x7f000001/p", /private/],
    ["https://2130706433/p", /private/],
    ["https://0.0.0.0/p", /private/],
    ["https://10.1.2.3/p", /private/],
    ["https://172.16.0.1/p", /private/],
    ["https://172.31.255.255/p", /private/],
    ["https://192.168.1.1/p", /private/],
    ["https://169.254.169.254/latest/meta-data", /private/],
    ["https://100.64.0.1/p", /private/],
    ["https://100.127.255.255/p", /private/],
    ["https://224.0.0.1/p", /private/],
    ["https://255.255.255.255/p", /private/],
    ["https://[::1]/p", /private/],
    ["https://[::]/p", /private/],
    ["https://[0:0:0:0:0:0:0:1]/p", /private/],
    ["https://[::ffff:127.0.0.1]/p", /private/],
    ["https://[::ffff:7f00:1]/p", /private/],
    ["https://[::ffff:10.0.0.1]/p", /private/],
    ["https://[fc00::1]/p", /private/],
    ["https://[fd12:3456::1]/p", /private/],
    ["https://[fe80::1]/p", /private/],
    ["https://[ff02::1]/p", /private/],
    ["https://[64:ff9b::a9fe:a9fe]/p", /private/],
    ["https://[2002:a9fe:a9fe::1]/p", /private/],
    ["https://[2001:db8::1]/p", /private/],
    [`https://push.example.net/${"a".repeat(2100)}`, /longer/],
  ])("refuses %s", (url, message) => {
    const result = checkPushEndpoint(url, prod);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toMatch(message);
  });

  it("accepts public 6to4 and unrelated 172.x / 100.x addresses", () => {
    expect(checkPushEndpoint("https://[2002:0808:0808::1]/p", prod)).toEqual({ ok: true });
    expect(checkPushEndpoint("https://172.32.0.1/p", prod)).toEqual({ ok: true });
    expect(checkPushEndpoint("https://100.128.0.1/p", prod)).toEqual({ ok: true });
  });

  describe("development mode", () => {
    it.each(["http://127.0.0.1:8790/push/1", "http://localhost:8790/push/1"])("also accepts %s", (url) => {
      expect(checkPushEndpoint(url, dev)).toEqual({ ok: true });
      expect(checkPushEndpoint(url, prod).ok).toBe(false);
    });

    it.each([
      "http://[::1]:8790/p",
      "http://127.0.0.2:8790/p",
      "http://10.0.0.1:8790/p",
      "http://push.example.net:8790/p",
      "http://user:pw@127.0.0.1:8790/p",
      "https://127.0.0.1:8790/p",
      "https://localhost:8790/p",
    ])("still refuses %s", (url) => {
      expect(checkPushEndpoint(url, dev).ok).toBe(false);
    });
  });
});
