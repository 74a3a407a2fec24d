/** The dashboard's places, kept in the URL hash so a reload or a shared link opens them again. */
export const KNOWLEDGE_TABS = ["documents", "versions", "gaps", "drafts", "golden", "recommendations"] as const;
export type KnowledgeTab = (typeof KNOWLEDGE_TABS)[number];

export type Route = { view: "desk"; conversationId: string | null } | { view: "knowledge"; tab: KnowledgeTab } | { view: "account" };

const CONVERSATION = /^#\/c\/([0-9a-f-]{36})$/i;
const KNOWLEDGE = /^#\/knowledge(?:\/(\w+))?\/?$/;

export function readRoute(hash: string = location.hash): Route {
  if (hash === "#/account") return { view: "account" };
  const knowledge = KNOWLEDGE.exec(hash);
  if (knowledge) {
    const tab = (knowledge[1] ?? "documents") as KnowledgeTab;
    return { view: "knowledge", tab: KNOWLEDGE_TABS.includes(tab) ? tab : "documents" };
  }
  return { view: "desk", conversationId: CONVERSATION.exec(hash)?.[1]?.toLowerCase() ?? null };
}

export function conversationHash(id: string): string {
  return `#/c/${id}`;
}
