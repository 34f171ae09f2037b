// A local push service: counts the encrypted messages the worker POSTs to it and answers 201 as
// push services do. Loopback only.
import { createServer } from "node:http";

export async function startPushReceiver() {
  let received = 0;
  let bytes = 0;
  /** When the first message for each endpoint path arrived (intake freshness gives each person a path). */
  const arrivals = new Map();
  const server = createServer((req, res) => {
    req.on("data", (chunk) => {
      bytes += chunk.length;
    });
    req.on("end", () => {
      if (req.method === "POST" && req.headers["content-encoding"] === "aes128gcm") {
        received++;
        if (!arrivals.has(req.url)) arrivals.set(req.url, Date.now());
      }
      res.writeHead(201).end();
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}/push/bench`,
    get received() {
      return received;
    },
    get bytes() {
      return bytes;
    },
    arrivals,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}
