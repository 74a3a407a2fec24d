import { ServerResponse } from "node:http";

/** When the fake model received one request and wrote each streamed chunk (performance.now() of this process). */
export type StreamTiming = {
  requestAt: number;
  /** One entry per SSE chunk written, with the reply characters sent so far (0 for the role chunk). */
  writes: { at: number; chars: number }[];
};

/**
 * Records, per request to the FakeLlmServer of this process, the moment each streamed chunk is
 * written, without changing the fake: requests are tagged from its respondWith callback (which
 * sees the request's headers object), and ServerResponse.prototype.write is wrapped for the
 * lifetime of the bench to stamp the writes of tagged responses only. The fake and the shoppers
 * run in the same process, so every time here shares one clock with the shoppers' arrival times.
 */
export class FakeLlmTimings {
  readonly #byHeaders = new WeakMap<object, StreamTiming>();
  #restore: (() => void) | null = null;

  /** Start stamping writes; returns the undo, also run by uninstall(). */
  install(): () => void {
    if (this.#restore) return this.#restore;
    const original = ServerResponse.prototype.write;
    const byHeaders = this.#byHeaders;
    ServerResponse.prototype.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
      const timing = this.req ? byHeaders.get(this.req.headers) : undefined;
      if (timing && typeof chunk === "string") {
        const at = performance.now();
        const previous = timing.writes.at(-1)?.chars ?? 0;
        timing.writes.push({ at, chars: previous + contentLength(chunk) });
      }
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof original;
    this.#restore = () => {
      ServerResponse.prototype.write = original;
      this.#restore = null;
    };
    return this.#restore;
  }

  uninstall(): void {
    this.#restore?.();
  }

  /** Call from the fake's respondWith with the recorded request's headers: its writes are stamped from now on. */
  track(headers: object): StreamTiming {
    const timing: StreamTiming = { requestAt: performance.now(), writes: [] };
    this.#byHeaders.set(headers, timing);
    return timing;
  }
}

/** Reply characters in one SSE write of the fake ("data: {…choices[0].delta.content…}\n\n"). */
function contentLength(chunk: string): number {
  if (!chunk.startsWith("data: {")) return 0;
  try {
    const parsed = JSON.parse(chunk.slice(6)) as { choices?: { delta?: { content?: string } }[] };
    return [...(parsed.choices?.[0]?.delta?.content ?? "")].length;
  } catch {
    return 0;
  }
}

/** When the chunk holding reply character n (0-based) was written; null if never. */
export function writtenAt(timing: StreamTiming, character: number): number | null {
  for (const write of timing.writes) if (write.chars > character) return write.at;
  return null;
}
