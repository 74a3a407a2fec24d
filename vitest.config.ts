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
  },
});
