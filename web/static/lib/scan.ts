// Camera scanning with the platform's BarcodeDetector (Android Chrome, Safari 17+, ChromeOS, macOS).
// Where it is missing the pages fall back to typing or pasting, so no decoder ships to every phone.

interface Detector {
  detect(source: HTMLVideoElement): Promise<{ rawValue: string }[]>;
}
type DetectorCtor = new (opts: { formats: string[] }) => Detector;

export function canScan(): boolean {
  return "BarcodeDetector" in window && !!navigator.mediaDevices?.getUserMedia;
}

/** Resolves with the first QR code seen; `stop` aborts. Always releases the camera. */
export async function scanQr(video: HTMLVideoElement, stop: AbortSignal): Promise<string | null> {
  const Ctor = (window as unknown as { BarcodeDetector: DetectorCtor }).BarcodeDetector;
  const detector = new Ctor({ formats: ["qr_code"] });
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { facingMode: "environment" },
    audio: false,
  });
  video.srcObject = stream;
  video.hidden = false;
  try {
    await video.play();
    while (!stop.aborted) {
      const found = await detector.detect(video).catch(() => []);
      const first = found[0];
      if (first?.rawValue) return first.rawValue;
      await new Promise((r) => setTimeout(r, 250));
    }
    return null;
  } finally {
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
    video.hidden = true;
  }
}

/** Wires a button that toggles scanning and hands the result over. */
export function scanButton(
  button: HTMLButtonElement,
  video: HTMLVideoElement,
  onCode: (text: string) => void,
  onUnsupported: () => void,
): void {
  let running: AbortController | null = null;
  button.addEventListener("click", async () => {
    if (running) {
      running.abort();
      return;
    }
    if (!canScan()) return onUnsupported();
    running = new AbortController();
    button.setAttribute("aria-pressed", "true");
    try {
      const text = await scanQr(video, running.signal);
      if (text) onCode(text);
    } catch {
      onUnsupported();
    } finally {
      running = null;
      button.setAttribute("aria-pressed", "false");
    }
  });
}
