import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { isAppError } from "./errors.ts";
import { createLogger } from "./logger.ts";

/** Process entry: config, logger, app, signals. The only module with side effects at start. */
async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (isAppError(error, "CONFIG_INVALID")) {
      console.error(error.message);
      process.exit(78);
    }
    throw error;
  }
  const logger = createLogger({ level: config.logLevel });
  const app = await createApp({ config, logger }).catch((error: unknown) => {
    // A setting that looked right but does not work (DATABASE_URL, REDIS_URL): name it and stop.
    if (!isAppError(error, "CONFIG_INVALID")) throw error;
    console.error(error.message);
    process.exit(78);
  });
  const { url } = await app.listen();
  console.log(`Kefu is running at ${url}`);

  const stop = (signal: string) => {
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 5_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      },
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

await main();
