import { parseArgs } from "node:util";
import { pino } from "pino";
import { parseOrThrow } from "../agents/session-token.ts";
import type { Config } from "../config.ts";
import { shopperRef } from "./privacy-routes.ts";
import { ShopperData } from "./shopper-data.ts";
import { openPrivacyStore } from "../storage/open-stores.ts";

/**
 * `kefu privacy export|delete (--conversation <id> | --email <email>)` on DATA_DIR (or DATABASE_URL): the export is
 * JSON on stdout; the deletion prints its log record (which holds no personal data).
 */
export async function runPrivacyCommand(args: string[], config: Config, output: { out: (text: string) => void }, usageError: (message: string) => Error): Promise<number> {
  const { positionals, values } = parseArgs({ args, allowPositionals: true, options: { conversation: { type: "string" }, email: { type: "string" } } });
  const [action] = positionals;
  if ((action !== "export" && action !== "delete") || Boolean(values.conversation) === Boolean(values.email)) {
    throw usageError("privacy needs: export|delete with --conversation <id> or --email <email>");
  }
  const ref = parseOrThrow(shopperRef, values.conversation ? { conversationId: values.conversation } : { email: values.email });
  const { store, close } = await openPrivacyStore(config, pino({ level: "silent" }));
  try {
    const data = new ShopperData({ store, sessions: { deleteEndedSessions: async () => 0 }, retentionDays: config.privacy.retentionDays, logger: pino({ level: "silent" }) });
    output.out(JSON.stringify(action === "export" ? await data.export(ref) : { deletion: await data.delete(ref, "command line") }, null, 2));
    return 0;
  } finally {
    await close();
  }
}
