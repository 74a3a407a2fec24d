import { normalizeText } from "../text/segment.ts";
import { foldWord } from "./match-facts.ts";

/**
 * Reviewed classes of words shoppers and catalogs use for one thing, in zh and en ("宝宝" for
 * 婴儿, "猫" for 宠物 where a page speaks of pets). About kinds of things,
 * never one product: a class only lends a page's own word to a question that uses another one.
 * Each class lists its members longest first within a script where one holds another.
 */
export const SYNONYM_CLASSES: readonly (readonly string[])[] = [
  ["小宝宝", "宝宝", "婴幼儿", "婴儿", "baby", "babies", "infant", "infants"],
  ["小朋友", "小孩", "孩子", "儿童", "kid", "kids", "child", "children"],
  ["老年人", "老人", "长者", "elderly", "senior", "seniors"],
  // Cats and dogs are each a kind of pet, never each other: a page about cats does not answer for dogs.
  ["猫咪", "猫", "宠物", "cat", "cats", "pet", "pets"],
  ["狗狗", "狗", "宠物", "dog", "dogs", "pet", "pets"],
  ["菜板", "案板", "砧板", "chopping board", "cutting board"],
  ["mic", "mics", "microphone", "microphones", "麦克风", "话筒"],
  ["cellphone", "smartphone", "phone", "phones", "手机"],
  ["骨头", "排骨", "大骨", "bones", "bone"],
  ["剁", "砍"],
  ["燃气灶", "煤气灶", "煤气炉", "gas hob", "gas stove", "gas cooker"],
  ["stove", "stovetop", "cooktop", "hob", "hobs", "灶台", "炉灶"],
  ["couch", "sofa", "沙发"],
  ["quilt", "comforter", "duvet", "被子", "棉被"],
  ["fridge", "refrigerator", "冰箱"],
  ["microwaveable", "microwavable", "microwave", "微波炉"],
  ["tap water", "水龙头的水", "自来水", "水龙头"],
  ["dust cup", "dust bin", "dustbin", "集尘盒", "尘杯", "尘盒"],
  // Conditions and nuisances shoppers name in their own words.
  ["mosquitoes", "mosquito", "insects", "insect", "bugs", "bug", "蚊子", "蚊虫", "飞虫", "昆虫", "虫子"],
  ["itchy", "itch", "scratchy", "prickly", "刺痒", "刺挠", "扎人", "发痒"],
  ["overseas", "abroad", "国外", "出国", "海外", "境外"],
  ["rusty", "rusted", "rust", "生锈", "锈迹", "红锈"],
  ["mouldy", "moldy", "mould", "mold", "mildew", "发霉", "霉斑", "长霉"],
  ["pilling", "bobbling", "bobbles", "起球", "毛球"],
  ["odours", "odour", "odors", "odor", "smells", "smell", "异味", "气味"],
  ["discoloured", "discolored", "stained", "stains", "stain"],
  ["tea stains", "tea stain", "茶垢", "茶渍"],
  // Room to leave around an appliance.
  ["clearance", "space", "空间", "间隙"],
  ["guy lines", "guylines", "guy ropes", "guy rope", "风绳", "拉绳"],
  ["footprint", "groundsheet", "ground sheet", "ground cloth", "地席", "地垫"],
  ["natural knots", "knots", "knot", "木节", "节疤", "小疤"],
  ["water spots", "water marks", "白色水渍", "水渍", "白印子", "白印", "白斑"],
  // Drinks and fires by the names shoppers give them ("soda" is left out: baking soda is no drink).
  ["carbonated drinks", "carbonated", "fizzy drinks", "fizzy", "sparkling water", "碳酸饮料", "气泡水", "汽水", "苏打水"],
  ["campfire", "camp fire", "fire pit", "firepit", "bonfire", "篝火", "火堆", "柴火"],
];

const HAN = /\p{Script=Han}/u;

/** Each Latin member as a whole-word pattern, made once (every question looks every class up). */
const WHOLE_WORDS = new Map<string, RegExp>(
  SYNONYM_CLASSES.flat()
    .filter((member) => !HAN.test(member))
    .map((member) => [member, new RegExp(`(?<![a-z0-9-])${member.replace(/[-]/g, "[- ]?")}(?![a-z0-9-])`)]),
);

/** Where a member stands in a text: Han by substring, Latin as a whole word. */
function finds(member: string, text: string): RegExpExecArray | null {
  if (HAN.test(member)) {
    const index = text.indexOf(member);
    if (index < 0) return null;
    const match = [member] as unknown as RegExpExecArray;
    match.index = index;
    return match;
  }
  return WHOLE_WORDS.get(member)!.exec(text);
}

/**
 * The question in the page's words: each word of a synonym class the page never uses is replaced
 * by a member of its class the page does use ("宝宝能盖吗" on a page saying 婴儿 → "婴儿能盖吗"),
 * so the page's facts and sentences are found by what the shopper meant. Words the page uses, and
 * classes the page has no member of, are left as written.
 */
export function inPageWords(question: string, pageText: string): string {
  let text = normalizeText(question);
  const page = normalizeText(pageText);
  for (const members of SYNONYM_CLASSES) {
    const used = members.filter((member) => finds(member, page) !== null);
    if (used.length === 0) continue;
    for (const member of members) {
      if (used.includes(member)) continue;
      const match = finds(member, text);
      if (!match) continue;
      // The page's word in the question's own script where it has one: "气泡水" becomes its 碳酸饮料, not "carbonated drinks".
      const replacement = used.find((word) => HAN.test(word) === HAN.test(member)) ?? used[0]!;
      text = `${text.slice(0, match.index)}${replacement}${text.slice(match.index + match[0].length)}`;
      break;
    }
  }
  return correctSpelling(text, page);
}

/**
 * Latin words of seven letters or more that the page never uses, in any inflection, but spells
 * one edit away (a letter missing, extra, wrong or two swapped: "dishwaher"), written as the page
 * spells them. Shorter words are left: one edit turns too many of them into other words.
 */
function correctSpelling(text: string, page: string): string {
  const pageWords = new Set(page.match(/[a-z]{7,}/g) ?? []);
  // A word the page uses in another inflection ("charge" of "charging") is spelt right.
  const pageFolded = new Set((page.match(/[a-z]+/g) ?? []).map(foldWord));
  return text.replace(/[a-z]{7,}/g, (word) => {
    if (pageWords.has(word) || pageFolded.has(foldWord(word))) return word;
    for (const candidate of pageWords) if (candidate[0] === word[0] && oneEditApart(word, candidate)) return candidate;
    return word;
  });
}

/** Whether two words differ by one insertion, deletion, substitution or swap of neighbours. */
export function oneEditApart(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1 || a === b) return false;
  let start = 0;
  while (start < a.length && a[start] === b[start]) start += 1;
  if (a.length === b.length) {
    if (a.slice(start + 1) === b.slice(start + 1)) return true;
    return a[start] === b[start + 1] && a[start + 1] === b[start] && a.slice(start + 2) === b.slice(start + 2);
  }
  const [longer, shorter] = a.length > b.length ? [a, b] : [b, a];
  return longer.slice(start + 1) === shorter.slice(start);
}
