/**
 * What shoppers of the sample store (knowledge/, Pinebrook Living) typically ask: delivery,
 * returns, warranty, a product's battery, payment, invoices. Half the shoppers ask in Chinese.
 */
export const CHAT_QUESTIONS = {
  en: [
    "How long does delivery take?",
    "Is shipping free? What is the minimum order?",
    "What is your return policy?",
    "How long is the warranty on the cast iron skillet?",
    "How long does the battery of the SoundNest E1 earbuds last?",
    "How long does the V15 cordless vacuum run on one charge?",
    "Can I cancel my order after paying?",
    "What payment methods do you accept?",
    "Can I get an invoice for my order?",
    "Is the air fryer basket dishwasher safe?",
    "Do my membership points expire?",
    "What are your customer service hours?",
  ],
  zh: [
    "下单后多久能收到货？",
    "满多少包邮？",
    "怎么退货？退货运费谁出？",
    "铸铁煎锅质保多久？",
    "SoundNest E1 耳机续航多久？",
    "V15 吸尘器充一次电能用多久？",
    "订单付款后还能取消吗？",
    "支持哪些支付方式？",
    "可以开发票吗？",
    "空气炸锅的炸篮能用洗碗机洗吗？",
    "积分会过期吗？",
    "客服几点上班？",
  ],
} as const;

export type QuestionLocale = keyof typeof CHAT_QUESTIONS;

/** Shopper i's locale and its n-th question: spread over the list so concurrent shoppers ask different things. */
export function questionFor(shopper: number, index: number): { locale: QuestionLocale; text: string } {
  const locale: QuestionLocale = shopper % 2 === 0 ? "en" : "zh";
  const list = CHAT_QUESTIONS[locale];
  return { locale, text: list[(Math.floor(shopper / 2) * 5 + index) % list.length]! };
}
