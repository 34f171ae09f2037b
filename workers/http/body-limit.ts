import { bodyLimit } from "hono/body-limit";
import { ProblemError } from "./problems";

/** JSON bodies are small; bulk intake (lab results, imports) has its own larger limit. */
export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ProblemError(
        413,
        "too-large",
        "Payload too large",
        `The request body exceeds ${maxBytes} bytes`,
      );
    },
  });
}
