import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    // A poll waits for something the server or the browser does; on a busy shared machine that can
    // take longer than vitest's 1 s default without anything being wrong.
    expect: { poll: { timeout: 10_000 } },
    // Every server a test starts loads its worker threads' modules anew; Node's compile cache keeps
    // their stripped and compiled code between them (about 40 % of a restart's CPU).
    env: { NODE_COMPILE_CACHE: join(tmpdir(), "kefu-test-compile-cache") },
  },
});
