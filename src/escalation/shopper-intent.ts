import { HashingEmbedder } from "../retrieval/hashing-embedder.ts";
import { normalizeText } from "../text/segment.ts";

/**
 * What a shopper's words say about the conversation itself, not the store: asking for a person,
 * or being frustrated. Patterns cover the families of phrasing (a verb of reaching plus a word
 * for a person, in both languages); near-miss phrasings and typos are caught by similarity to
 * example requests in the character n-gram space of the offline embedder.
 */
const PERSON_EN = String.raw`(?:human|person|people|agent|representative|rep|operator|someone|somebody|staff|employee|manager|supervisor|real one|live (?:chat|support|agent)|customer (?:service|support|care)|support team|service team)`;
const HUMAN_REQUEST = [
  new RegExp(String.raw`\b(?:talk|speak|chat|connect|transfer|put|pass|switch|get|escalate|take)\b[^.?!]{0,30}\b(?:to|with|through|me to)?\b[^.?!]{0,20}\b${PERSON_EN}\b`, "i"),
  new RegExp(String.raw`\b(?:want|need|like|prefer|request|give me|is there|are there|can i (?:get|have)|let me)\b[^.?!]{0,25}\b(?:a |an |the |some )?(?:real |live |actual )?${PERSON_EN}\b`, "i"),
  new RegExp(String.raw`^\s*(?:${PERSON_EN})(?:\s+please)?[\s.!?]*$`, "i"),
  /\b(?:are you|is this) (?:a )?(?:bot|robot|machine|real)\b/i,
  /(?:转|找|要|换|接|叫|联系|呼叫)[^，。？！,.?!\s]{0,4}(?:人工|真人|客服|活人|工作人员|店员|店主|掌柜|经理|负责人|小二)/,
  /(?:人工客服|人工服务|真人客服|人工|真人)(?:\s*(?:吗|呢|在吗|在不在|呀|啊|！|!|？|\?))*\s*$/,
  /(?:有没有|有)\s*(?:真人|人工|客服|工作人员|人)+\s*(?:在|吗|嘛|么)/,
  /(?:不要|别)\s*(?:机器人|自动回复)/,
  /(?:你是|你们是)\s*(?:机器人|ai|人工智能)/i,
];

const HUMAN_EXAMPLES = [
  "can i talk to a human", "i want to speak to a real person", "connect me with an agent", "customer service representative please",
  "let me talk to someone", "is there a person i can chat with", "human agent", "live agent please",
  "我要转人工", "人工客服", "找真人客服", "帮我转接客服", "有人工吗", "我想和真人聊",
];

const FRUSTRATION = [
  /\b(?:useless|stupid|dumb|idiot\w*|ridiculous|terrible|horrible|awful|worst|pathetic|garbage|rubbish|nonsense|wtf|damn|hate)\b/i,
  /\b(?:not|isn't|isnt|wasn't|doesn't|doesnt|didn't|didnt)\s+(?:helpful|help|helping|working|answer(?:ing)?|listening|what i asked)\b/i,
  /\b(?:waste of (?:my )?time|frustrat\w*|annoy\w*|angry|fed up|sick of|give up|makes no sense|you don't understand|already (?:told|asked|said))\b/i,
  /[!！?？]{3,}/,
  /(?:没用|垃圾|废物|智障|弱智|蠢|气死|生气|烦死|烦人|太差|差劲|离谱|骗子|坑人|投诉|什么破|听不懂|答非所问|不是我问的|说了多少遍|到底|无语|服了|失望)/,
];

const embedder = new HashingEmbedder(512);
const examples = HUMAN_EXAMPLES.map((example) => embedder.embedOne(example));
const SIMILAR_ENOUGH = 0.72;

export function asksForHuman(text: string): boolean {
  const normalized = normalizeText(text).trim();
  if (HUMAN_REQUEST.some((pattern) => pattern.test(normalized))) return true;
  // Short messages only: in a long one, a similar phrase is more likely part of a real question.
  if (normalized.length > 80) return false;
  const vector = embedder.embedOne(normalized);
  return examples.some((example) => dot(vector, example) >= SIMILAR_ENOUGH);
}

export function soundsFrustrated(text: string): boolean {
  const normalized = text.normalize("NFKC");
  if (FRUSTRATION.some((pattern) => pattern.test(normalized))) return true;
  const shouted = normalized.match(/\b[A-Z]{3,}\b/g) ?? [];
  return shouted.length >= 3;
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < a.length; index += 1) sum += a[index]! * b[index]!;
  return sum;
}
