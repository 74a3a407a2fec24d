/**
 * The reviewed lexicon of store policy topics, in en and zh: how shoppers ask about a policy
 * ("how many days to get it", "能发香港吗"), and how a store's policy entries name it in their
 * headings ("How long does delivery take?", "快递几天能到？"). It is about the kinds of policy any
 * online store has, never about one store's entries: a question is matched to the entries whose
 * heading (more weakly: text) names a topic it asks about, within the store's policy entries only.
 *
 * - `ask`: shopper phrasings, tested on the normalised question;
 * - `names`: how a policy entry's heading or text speaks of the topic;
 * - `terms`: the words policy entries use for it, added to a lexical search for the question so the
 *   entry is found when the shopper's own words are not the entry's ("send it back" → "return").
 */
export type PolicyTopic = { id: string; terms: { en: string; zh: string }; ask: RegExp[]; names: RegExp };

export const POLICY_TOPICS: readonly PolicyTopic[] = [
  {
    id: "shipping-cost", terms: { en: "shipping cost free delivery", zh: "运费 包邮" },
    ask: [/\b(?:shipping|delivery|postage|freight) (?:cost|costs|fee|fees|charge|charges|price)\b|\bfree (?:shipping|delivery)\b|\bpay (?:for )?(?:shipping|delivery|postage)\b|\bhow much (?:is|for) (?:shipping|delivery|postage)\b|\bship(?:ping)? (?:for )?free\b|\bpostage\b/, /运费|包邮|邮费|免运费|配送费/],
    names: /shipping cost|free (?:shipping|delivery)|standard delivery is free|运费|包邮/i,
  },
  {
    id: "delivery-time", terms: { en: "delivery days arrive", zh: "快递 几天 送达" },
    ask: [/\bhow (?:long|many days|soon|quickly|fast)\b.*\b(?:deliver\w*|arriv\w*|get (?:it|here|there|to)|take to (?:come|arrive)|ship\w*)\b|\bwhen (?:will|would|can|do) (?:i|it|my order|they) (?:get|arrive|receive|come)\b|\b(?:deliver\w*|arriv\w*) (?:by|within|in)\b|\bdelivery (?:time|times)\b|\bhow many days\b/, /几天(?:能)?到|多久(?:能)?到|多长时间(?:能)?到|什么时候(?:能)?到|几天送到|多久送到|到货|送达|几天能收到|多久能收到/],
    names: /how long does delivery|delivery take|days? to arrive|几天能到|多久能到|送达|到货/i,
  },
  {
    id: "dispatch", terms: { en: "ship same day", zh: "发货" },
    ask: [/\bwhen (?:will|do|does|would) (?:you|it|my order|the order|this) (?:ship|be shipped|go out|dispatch|be dispatched|leave)\b|\bsame[- ]day\b|\bdispatch(?:ed)?\b|\bship (?:today|out)\b|\b(?:go|goes|get|gets|be) (?:out|sent|shipped) (?:today|tomorrow|the same day)\b|\b(?:pay|order) (?:it )?(?:before|by) \d{1,2} ?(?:pm|am|:\d\d|o'?clock)\b/, /发货|发出|(?:多久|几天|当天|今天|明天|什么时候|几点).{0,3}(?:能|可以)?发(?!票|热|烫|霉|黄)/],
    names: /when will my order ship|ship the same day|dispatch|发货/i,
  },
  {
    id: "regions", terms: { en: "ship hong kong macau overseas", zh: "港澳 海外" },
    // Sending somewhere, not using the product there ("能在国外用吗" is the product's voltage).
    ask: [
      /\b(?:ship|send|deliver|post|mail)\w*\b.*\b(?:hong kong|macau|macao|taiwan|overseas|abroad|internationally|other countr(?:y|ies)|outside (?:the mainland|china))\b|\binternational (?:shipping|delivery|orders?)\b|\b(?:hong kong|macau|taiwan) (?:shipping|delivery|address)\b/,
      /(?:寄|发|送|邮|运)(?:到|往|去)?.{0,3}(?:香港|澳门|港澳|台湾|海外|国外|境外)|(?:香港|澳门|港澳|台湾|海外|国外|境外).{0,4}(?:寄|发货|发吗|送|收货|地址|买)/,
    ],
    names: /hong kong|macau|overseas|港澳|海外/i,
  },
  { id: "tracking", terms: { en: "track parcel", zh: "物流" }, ask: [/\btrack(?:ing)?\b|\bwhere is (?:my|the) (?:order|parcel|package)\b|\bcourier\b/, /物流|查快递|快递单号|运单|哪家快递/], names: /track|物流/i },
  { id: "delivery-options", terms: { en: "delivery time locker", zh: "送货时间 快递柜" }, ask: [/\blocker\b|\btime slot\b|\bdelivery time slot\b|\bleave it (?:at|with)\b|\bchoose (?:a )?delivery\b/, /快递柜|驿站|指定.{0,4}时间|送货时间/], names: /locker|delivery time|快递柜|送货时间/i },
  {
    id: "returns", terms: { en: "return policy returns", zh: "退货 无理由" },
    ask: [/\breturn(?:s|able|ed|ing)?\b|\bsend(?:ing)? (?:it |this |them )?back\b|\bchange of mind\b|\bchanged my mind\b|\bdon'?t like it\b/, /退货|退换|能退(?!差价)|可以退(?!差价)|无理由|不喜欢.{0,4}退|退回/],
    names: /return|退货|无理由/i,
  },
  { id: "refund", terms: { en: "refund", zh: "退款" }, ask: [/\brefund(?:s|ed)?\b|\bmoney back\b/, /退款|退钱|钱.{0,4}退/], names: /refund|退款/i },
  { id: "exchange", terms: { en: "exchange size colour", zh: "换尺码 颜色" }, ask: [/\bexchange\b|\bswap (?:it |them )?for (?:an? )?(?:different|another|other|bigger|smaller|larger|(?:size )?(?:xxs|xs|s|m|l|xl|xxl)\b)|\bdifferent (?:size|colou?r)\b|\b(?:change|swap) (?:it |them )?(?:for|to) (?:a |the )?(?:bigger|smaller|larger|different) (?:size|one)\b/, /换货|换.{0,2}(?:尺码|颜色|大小|码)|换(?:成)?(?:大|小)一?[号码]|调换/], names: /exchange|换尺码|换货/i },
  { id: "cancel", terms: { en: "cancel order", zh: "取消 订单" }, ask: [/\bcancel\w*\b/, /取消/], names: /cancel|取消/i },
  { id: "change-order", terms: { en: "change address order", zh: "修改 地址" }, ask: [/\bchange (?:the |my )?(?:address|phone|delivery address)\b|\bwrong address\b|\badd (?:an )?items?\b|\bcombine\b/, /改地址|修改地址|改.{0,4}(?:地址|电话)|合并订单|加商品/], names: /address|combine|地址|合并/i },
  { id: "pre-order", terms: { en: "pre-orders", zh: "预售" }, ask: [/\bpre-?orders?\b|\bback in stock\b|\bout of stock\b|\brestock\w*\b/, /预售|预订|补货|到货通知|缺货/], names: /pre-?order|预售/i },
  {
    id: "payment", terms: { en: "payment methods accept", zh: "支付方式" },
    ask: [/\b(?:pay|paying|payment)\b.*\b(?:with|by|using|via)\b|\bpayment (?:methods?|options?)\b|\balipay\b|\bwechat ?pay\b|\bunion ?pay\b|\bcredit cards?\b|\bdebit cards?\b|\bvisa\b|\bmastercard\b|\bpaypal\b|\bapple pay\b|\bcash on delivery\b|\bcod\b/, /支付方式|付款方式|支付宝|微信支付|银联|信用卡|货到付款|怎么付|怎么支付|用什么付/],
    names: /payment methods|accept|支付方式|支付宝/i,
  },
  { id: "instalments", terms: { en: "instalments huabei", zh: "分期 花呗" }, ask: [/\binstal{1,2}ments?\b|\bpay (?:it )?(?:monthly|over time|in parts)\b|\bhuabei\b|\bsplit (?:the )?payment\b|\bbuy now,? pay later\b/, /分期|花呗|月付/], names: /instal{1,2}ment|huabei|分期|花呗/i },
  { id: "payment-deadline", terms: { en: "pay unpaid", zh: "付款 未付款" }, ask: [/\bhow long (?:do i have )?to pay\b|\bunpaid\b|\bpay later\b/, /多久.{0,4}付款|未付款|付款时间/], names: /to pay for an order|unpaid|多久内要付款|未付款/i },
  { id: "tax", terms: { en: "tax vat", zh: "含税 增值税" }, ask: [/\btax(?:es)?\b|\bvat\b|\bduty\b|\bduties\b/, /含税|税费|关税|增值税/], names: /tax|含税/i },
  { id: "gift-card", terms: { en: "gift cards", zh: "礼品卡" }, ask: [/\bgift ?cards?\b|\bvouchers?\b|\bgift certificates?\b/, /礼品卡|购物卡|储值卡/], names: /gift card|礼品卡/i },
  { id: "invoice", terms: { en: "invoice fapiao", zh: "发票" }, ask: [/\binvoices?\b|\bfapiao\b|\bzhuanpiao\b|\breceipts?\b/, /发票|专票|普票|开票|抬头|报销/], names: /invoice|fapiao|receipt|发票/i },
  { id: "membership", terms: { en: "membership member", zh: "会员" }, ask: [/\bmember(?:s|ship)?\b|\btiers?\b|\bsilver\b|\bgold\b|\bvip\b|\bloyalty\b/, /会员|等级|银卡|金卡|vip/], names: /membership|member|tier|会员/i },
  { id: "points", terms: { en: "points", zh: "积分" }, ask: [/\bpoints?\b|\brewards?\b/, /积分|奖励/], names: /points|积分/i },
  { id: "points-earn", terms: { en: "earn points", zh: "积分 获得" }, ask: [/\b(?:earn|get|collect|give|gain)\w*\b.*\bpoints?\b|\bpoints? (?:for|per|on)\b/, /(?:送|返|得|获得|赚|攒|有)积分|积分怎么(?:获得|来|算)/], names: /earn|获得/i },
  { id: "points-use", terms: { en: "use points", zh: "积分 使用" }, ask: [/\b(?:use|spend|redeem|pay with)\b.*\bpoints?\b|\bpoints? (?:worth|value)\b/, /(?:用|使用|抵扣|兑换|花)积分|积分(?:怎么用|能抵|抵扣|兑换|值多少)/], names: /use my points|worth|怎么用|抵/i },
  { id: "points-expire", terms: { en: "points expire", zh: "积分 过期" }, ask: [/\bpoints?\b.*\b(?:expire|expiry|run out|lapse|valid|last)\b|\b(?:expire|expiry)\b/, /积分.{0,4}(?:过期|有效期|清零|作废)|过期/], names: /expire|过期/i },
  {
    id: "discounts", terms: { en: "coupon discount", zh: "优惠券 优惠" },
    ask: [/\bcoupons?\b|\bdiscounts?\b|\bpromo(?:tion)?(?: codes?)?\b|\bvoucher codes?\b|\bdeals?\b|\boffers?\b|\bfirst[- ](?:time|order)\b|\bnew customers?\b|\bcheaper\b/, /优惠|折扣|打折|优惠券|券|满减|新人|新用户|首单|便宜点/],
    names: /coupon|discount|new customers?|优惠|折扣|新用户/i,
  },
  { id: "price-protection", terms: { en: "price protection", zh: "价格保护" }, ask: [/\bprice (?:protection|drop|drops|match|guarantee)\b|\bprice goes down\b|\bgets? cheaper\b|\bdifference back\b/, /价格保护|保价|降价|(?:退|补)差价|差价/], names: /price protection|价格保护|保价/i },
  { id: "sales", terms: { en: "sale", zh: "大促" }, ask: [/\bsales?\b|\bblack friday\b|\bsingles'? day\b|\b11\.11\b|\b618\b|\bdouble (?:11|eleven)\b/, /大促|双十一|双11|618|促销|活动|年货节/], names: /sale|大促|活动/i },
  { id: "bulk", terms: { en: "corporate bulk orders", zh: "企业 批量" }, ask: [/\bbulk\b|\bcorporate\b|\bwholesale\b|\bcompany order\b|\bin quantity\b|\bbusiness order\b/, /批量|企业采购|团购|大批|公司采购|批发/], names: /bulk|corporate|企业|批量/i },
  {
    id: "warranty-claim", terms: { en: "warranty claim", zh: "保修" },
    ask: [/\bwarranty (?:claim|repair|service)\b|\bclaim (?:on )?(?:the )?warranty\b|\brepairs?\b|(?<!\b(?:this|it|these|they|that|will|would|does|do|can|could|did) )\bfix(?:ed)?\b(?![^?.!]{0,30}\bwith (?:this|these|it|the|your)\b)|\bbroke(?:n)?\b|\bstopped working\b|\bout of warranty\b|\bnot covered\b/, /保修|报修|维修|修理|坏了|过了质保|不保修/],
    names: /warranty claim|\bclaim\b|out of warranty|申请保修|报修|过了质保/i,
  },
  { id: "service-hours", terms: { en: "service hours", zh: "上班 客服" }, ask: [/\b(?:service|opening|business|support|office) hours\b|\bwhat time\b.*\b(?:open|close|start|available|online|service|support)\b|\b(?:you|customer service|support|the store) (?:open|close)\b|\bopen (?:on|at|today)\b|\bweekends?\b|\bholidays?\b/, /上班|下班|营业时间|几点(?:上班|下班|开门|关门|有人)|客服.{0,3}几点|周末|节假日|客服时间/], names: /service hours|hours|几点上班|上班/i },
  { id: "contact", terms: { en: "contact customer service", zh: "联系 客服" }, ask: [/\bcontact\b|\bphone number\b|\bhotline\b|\bcall you\b|\bemail\b|\bcomplain\w*\b/, /联系|电话|热线|邮箱|投诉/], names: /contact|complaint|联系|投诉/i },
  { id: "stores", terms: { en: "physical stores", zh: "门店" }, ask: [/\bphysical stores?\b|\bshops? near\b|\bin person\b|\btmall\b|\bjd\b|\bofflines? stores?\b/, /门店|实体店|线下|天猫|京东/], names: /physical stores|tmall|门店|天猫/i },
  { id: "account", terms: { en: "account", zh: "账户" }, ask: [/\baccount\b|\blog ?in\b|\bsign (?:up|in)\b|\bregister\b|\bpassword\b|\bpersonal data\b|\bprivacy\b/, /账号|账户|登录|注册|密码|隐私|个人信息/], names: /account|log in|personal data|账户|登录|个人信息/i },
];
