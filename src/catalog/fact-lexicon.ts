import type { Dimension } from "./quantities.ts";
import type { FactKind } from "./product.ts";

/**
 * The reviewed lexicon of how shoppers ask for a kind of product fact, in en and zh, and how a
 * catalog names that kind of fact. It is about kinds of facts, never about one product: a
 * product's own attribute names, units and values do the rest (see match-facts.ts).
 *
 * - `ask`: shopper phrasings (tested on the normalised question; longer matches are more specific).
 * - `names`: how catalogs label such facts (tested on attribute labels, and more weakly on values
 *   and description sentences).
 * - `units`: the dimensions a value of this kind is measured in, for attributes named otherwise.
 * - `kinds`: catalog fields (price, launch date…) that answer it directly.
 * - `generic`: asked by a bare interrogative ("how long is…") that a named thing outranks.
 * - `values`: values of this kind a shopper may name ("pink", "粉色"): they ask for the kind of fact,
 *   but stay words the answer must hold ("有粉色的吗" is not answered by a list without pink).
 */
export type FactConcept = { id: string; ask: RegExp[]; names: RegExp; units?: Dimension[]; kinds?: FactKind[]; generic?: boolean; values?: RegExp };

export const FACT_CONCEPTS: readonly FactConcept[] = [
  {
    id: "price",
    ask: [/\b(?:price|prices|priced|cost|costs|pricing|expensive|cheap|cheaper)\b|\bwhat(?:'s| is) it going for\b|\bset me back\b|\b(?:sell|sells|selling|retail|retails) for\b|\b(?:what|how much) (?:are|do|would) (?:you|u)(?: guys)? (?:charg(?:e|ing)|ask(?:ing)?|want) (?:for|to)\b/, /\bhow much\b(?! (?:space|room|clearance|gap|time|water|oil|rice|power|noise|down|fill|filling|light|heat|air)\b)(?! (?:\w+ )?(?:can|does|will|do)\b(?! it cost))(?!.*\b(?:hold|weigh|fit|take|carry|load)\b)/, /多少钱|价格|价钱|售价|几块钱|贵不贵|贵吗|怎么卖|卖多少|什么价|啥价|价位/],
    names: /price|价格|售价/i,
    units: ["money"],
    kinds: ["price"],
  },
  { id: "weight", ask: [/\bhow heavy\b|\bweigh(?:s|t)?\b(?!.*\b(?:hold|take|support|carry|bear|put|place|hang|load|sit|stand)\b)|\bheavy\b|\blightweight\b/, /多重|重量|重不重|有多沉|沉不沉|几斤|几公斤|多少克|轻不轻/], names: /weight|重量/i, units: ["mass"] },
  {
    id: "load",
    ask: [/\b(?:hold|support|take|carry|bear|put|place|hang|load|sit|stand)\b.*\b(?:weight|kg|kilos?|heavy|pounds)\b|\b(?:weight|kg|heavy)\b.*\b(?:hold|support|take|carry|bear|put|place|hang|load|sit|stand)\b|\bweight limit\b|\bmax(?:imum)? (?:load|weight)\b/, /承重|能承受|能放多重|能坐多重|能挂多重|最多能放|载重|放多少斤|放多少公斤|多重的人|\d+\s*(?:斤|公斤|千克|kg)[^，。？！,.?!]{0,8}(?:坐|躺|站|睡|塌|承受|撑|压)/, /\b(?:i'?m|i weigh|weighs?|weighing) (?:about |around |nearly |over )?\d+ ?(?:kg|kilos?|lbs?|pounds)\b/],
    names: /load|承重|载重/i,
  },
  { id: "length", ask: [/\bhow long (?:is|are)\b|\bhow (?:short|low)\b/, /多长|多矮|多低/], names: /length|height|长|高/i, units: ["length"], generic: true },
  { id: "interval", ask: [/\bhow often\b|\breplace(?:ment)?\b|\bswap (?:it )?out\b|\bchange (?:it|the filter)\b/, /多久换|更换|换一次|多长时间换/], names: /interval|replace|更换|周期/i },
  { id: "shelf-life", ask: [/\bexpir\w*\b|\bshelf life\b|\bgo off\b|\bkeep for\b/, /过期|保质期|能放多久/], names: /shelf life|保质期/i },
  {
    id: "size",
    ask: [/\bhow (?:big|large|small|tall|wide|high|deep|thick)\b|\b(?:bigger|larger|smaller)\b|\blength\b|\bsize\b|\bsizes\b|\bdimensions?\b|\bmeasure(?:ments)?\b|\bfit (?:in|on|under|underneath|beneath|between|inside|into|there)\b|\bcupboard\b|\bheight\b|\bwidth\b|\bdiameter\b|(?<!\b(?:a|an|with|extra|spare) )\bfootprint\b(?![^?.!]*\b(?:come|comes|included?|with|sell|buy)\b)|\bthickness\b|\b(?:chunky|thick|slim|thin) or (?:chunky|thick|slim|thin)\b/, /多大|尺寸|大小|多高|多宽|多长|多深|多厚|长宽|高度|宽度|直径|厚度|放得下|占地|占多大|规格|尺码|码数|(?:哪个|哪一?|几|什么|啥)码|\d+\s*码(?![数])|厚还是薄|薄还是厚/],
    names: /dimension|size|measure|diameter|height|length|width|depth|thickness|尺寸|大小|规格|直径|高度|长度|宽度|深度|厚度|尺码|全长|刃长/i,
    units: ["length"],
    values: /\b(?:xxs|xs|xl|xxl|xxxl|[2-5]xl)\b|\bsize (?:s|m|l)\b|\b(?:eu|us|uk) ?\d{2}\b/,
  },
  { id: "capacity", ask: [/\bhow (?:much|many) (?:\w+ )?(?:can|does|will) it (?:hold|take|fit|cook|make)\b|\bhow much (?:\w+ )?(?:can|could|do|will) (?:i|you|we) (?:actually |really )?(?:fill|pour)\b|\bcapacity\b|\bhow many (?:litres?|liters?|cups|people|persons)\b|\blit(?:re|er)s?\b|\bfeed\b|\bserves?\b|\bhold\b(?! (?:it|them|the \w+) (?:there|at\b|warm|hot|steady))|\bin one go\b|\bat (?:a|one) time\b|\ba whole (?:bag|batch|pack|packet)\b/, /容量|一次(?:能|可以)?(?:做|煮|炸|烤|装|放)(?:多少|几|得下|一整)|能装多少|装多少|几升|多少升|多少毫升|几个人|几人|够几|住几|能煮几|[一二三四五六七八九十两几\d]+口人|够不够用|够用吗|(?:烧|煮|盛)多少(?:水|米|饭)?/], names: /capacity|contents|容量|容纳|套装内容/i, units: ["volume"] },
  { id: "material", ask: [/\bmade (?:of|from|with)\b|\bmaterials?\b|\bwhat (?:is|'s) it made\b|\bwhat wood\b|\bfabric\b|\bwhat (?:kind of )?(?:steel|metal|plastic|wood)\b|\binner pot\b|\bfilling\b|\bfill\b|\bfilled with\b|\bstuffed with\b|\bwhat(?: is|'s|s) inside\b/, /材质|材料|什么做的|什么材料|面料|用料|填充|填的|什么木|什么钢|内胆/], names: /material|fabric|shell|filling|fill|body|construction|steel|upper|core|wood|layers|材质|面料|填充|锅体|结构|钢材|内胆|鞋面|枕芯|滤层/i },
  {
    id: "colour",
    ask: [/\bcolou?rs?\b|\bwhat colou?r\b|\bfinish(?:es)?\b|\bcolou?rways?\b|\b(?:what|which|other|more|lighter|darker) shades?\b|\bshades? (?:available|options?|to choose)\b/, /颜色|配色|色系|色号|(?:什么|啥|几个|几种|哪些|哪几种?|多少种?|别的|其他|其它)颜?色(?![温差])/],
    names: /colou?r|finish|颜色/i,
    // A colour word names a colour when only "one", "colour", "version"… follows it: "green tea" is a tea.
    values: /\b(?:black|white|red|blue|green|grey|gray|pink|purple|yellow|orange|brown|beige|navy|gold|silver|rose gold)\b(?=(?: (?:ones?|colou?rs?|versions?|models?|finish|options?))?(?:\s*[?.!,;]|\s*$| (?:or|and|instead|too|please|available|in stock)\b))|(?:黑|白|红|蓝|绿|灰|粉|紫|黄|橙|棕|米|金|银|玫瑰金|藏青|卡其)色|有(?:没有)?(?:黑|白|红|蓝|绿|灰|粉|紫|黄|橙|棕|金|银)的(?=[吗么呢嘛？?]|$)/,
  },
  { id: "warranty", ask: [/\bwarrant(?:y|ies)\b|\bguarantee\b|\bcovered\b|\bif it breaks\b|\bfix (?:it )?(?:for )?free\b|\byears? of cover\b|\bfree (?:repairs?|fix(?:es)?)\b|\bwhat (?:does|will|would) (?:it|the warranty|that|this) (?:actually |really |even )?cover\b/, /质保|保修|保固|包修|坏了怎么办|保(?:几|多少)(?:年|个月)/], names: /warranty|质保|保修/i },
  { id: "in-box", ask: [/\bin the box\b|\bcomes? with\b|\binclude[sd]?\b|\bincluding\b|\bwhat do i get\b|\bwhat'?s in(?:cluded| it)?\b|\baccessor(?:y|ies)\b|\b(?:buy|bought|get|order|sold|pay for) (?:\w+ ){0,3}sep[ae]rately\b/, /另外买|单独买|单买|另购|另买|另配|包装清单|包装里|有什么配件|送什么|送几|送多少|配几|附送|附带|送(?=.{0,4}吗)|带(?![得不动])(?=.{0,4}吗)|配(?=.{0,3}吗)|包含|里面有什么|有什么/], names: /in the box|contents|included|supplied|set contents|包装清单|套装内容|套件内容|附送|附带|随附/i },
  { id: "compatibility", ask: [/\bfit(?:s)?\b(?! in)|\bcompatible\b|\bwork (?:with|in|on)\b|\bworks (?:with|in|on)\b|\buse (?:it )?(?:with|in|on)\b|\bwhich (?:model|one)\b/, /适用|适配|兼容|能用在|能用吗|可以用吗|配得上|匹配|哪个型号|买哪个|用什么/], names: /compatib|fits|heat sources?|适用|适配|炉具/i },
  { id: "care", ask: [/\bwash(?:ing|able|er)?\b|\bclean(?:ing)?\b|\bcare\b|\bmachine\b|\bdishwasher\b|\bdry(?:er)?\b/, /洗|清洁|保养|护理|擦/], names: /care|wash|clean|dishwasher|洗涤|清洁|洗碗机|保养/i },
  { id: "coating", ask: [/\bcoat(?:ed|ing|ings)?\b|\bnon-?stick\b|\bteflon\b|\bptfe\b|\bpfas\b|\bpfoa\b/, /涂层|不粘|特氟龙/], names: /coating|non-stick|涂层|不粘/i },
  { id: "leak", ask: [/\bleak\w*\b|\bspill\w*\b/, /漏|洒出/], names: /leak|seal|防漏|密封/i },
  { id: "dishwasher", ask: [/\bdishwasher\b/, /洗碗机/], names: /dishwasher|洗碗机/i },
  { id: "oven", ask: [/\boven\b/, /烤箱|进烤/], names: /oven|烤箱/i },
  { id: "battery", ask: [/\bbatter(?:y|ies)\b|\bmah\b|\bwatt[- ]?hours?\b|\bwh\b/, /电池|毫安|瓦时/], names: /battery|电池/i, units: ["charge", "energy"] },
  { id: "runtime", ask: [/\bhow long (?:does|will|can|do) (?:it|the battery|they|the batteries)\b(?! (?:keep|take))|\blast\b|\bruntime\b|\bbattery life\b|\bplay(?:time)?\b|\bon a (?:full )?(?:charge|tank)\b|\brun(?:s)? for\b|\bhow long does it (?:run|play)\b|\bhow long (?:till|until|before) (?:the |its )?batter(?:y|ies)\b|\bbatter(?:y|ies)(?:'s| is| are)? (?:dead|flat|empty|dies?|runs? out)\b/, /续航|能用多久|用多久|能撑几|撑几个|待机|充一次|能开多久|能放多久|能播多久|多久没电|多长时间没电/, /\b(?:(?:last|lasts|run|runs|play|plays|go|goes)\b[^?.!]{0,20})?\bon (?:a|one|1|each|every|a single) (?:full |single )?(?:charge|tank)\b|\bper charge\b/], names: /runtime|run time|battery life|续航/i, units: ["time"] },
  { id: "charging", ask: [/\bcharg(?:e|es|ing)\b(?! for\b)|\brecharge\b|\bto charge\b|\bfull charge\b|\bwireless pad\b/, /充电(?![器宝头线])|充满|充多久|多久能充|快充/], names: /charging|charge|input|protocols?|充电|输入|快充/i },
  // Charging another device from the product (a power bank's output, a lamp's wireless pad), not charging the product.
  {
    id: "charges-devices",
    ask: [/\b(?:charge|top up|power) (?:my|your|a|an|the|other|another) (?:\w+ ){0,2}(?:phones?|laptops?|tablets?|devices?|ipads?|iphones?|macbooks?|switch)\b/, /给(?:手机|电脑|笔记本|平板|设备|耳机)充电|充手机|当充电宝|(?:[两三四几多\d]+(?:台|个|部)(?:设备|手机)?)?(?:一起|同时)充/, /\bcharge (?:two|three|four|2|3|4|multiple|several) (?:\w+ )?(?:at once|at the same time|together)\b/],
    names: /output|wireless charging|power bank|输出|无线充电|充电宝/i,
  },
  { id: "noise", ask: [/\bnois[ey]\b|\bloud\b|\bquiet\b|\bdb\b|\bdecibels?\b|\bsound level\b/, /噪音|噪声|声音大|声音小|吵|安静|分贝|静音/], names: /noise|噪音|噪声/i, units: ["sound"] },
  { id: "noise-cancelling", ask: [/\bnoise[- ]cancel(?:l)?ing\b|\banc\b/, /降噪/], names: /noise (?:control|cancel)|降噪/i },
  { id: "water", ask: [/\bwater ?proof\b|\bwater[- ]resistant\b|\brain\b|\bsplash\b|\bsweat(?:proof)?\b|\bpool\b|\bshower\b|\bswim\w*\b|\bip\s?\d{2}|\bipx\d\b|\bdownpours?\b|\bdrizzle\b|\bwet weather\b|\bkeep (?:me|you|it|them|things|stuff) dry\b/, /防水|淋雨|下雨|暴雨|大雨|雨天|雨水|防泼|进水|防汗|出汗|流汗|汗水|游泳/], names: /water|hydrostatic|ip\d|防水/i },
  { id: "launch", ask: [/\bwhen (?:was|did|were) (?:it|this|these|they|the)(?: [\w-]+){0,2} (?:come out|launch|release|go on sale|first (?:sold|available))|\breleased?\b|\blaunch(?:ed)?\b|\bnew model\b|\bnew one\b|\bnewest\b|\b(?:just )?c[ao]me out\b|\brecently added\b|\bin the shop long\b|\blatest (?:model|version|one)\b|\bold stock\b|\bnew listing\b|\bbeen (?:selling|stocking)\b|\bhow long (?:have|has) (?:you|u|it|this|they|these) been (?:on sale|sold|around|out|available)\b|\bfirst (?:go|went|goes) on sale\b|\bwhen did (?:you|u) (?:start|begin) (?:selling|stocking)\b/, /上市|发布|什么时候出|哪一?年(?:开始)?(?:出|卖|推出|上架)|什么时候(?:开始卖|推出|上架)|开始卖的|哪个月出|什么时候上的|几月上的|开卖|开售|新款|新品|最新款|今年出的|今年的款/], names: /launch|上市/i, kinds: ["launchDate"] },
  { id: "power", ask: [/\bwatts?\b(?![- ]?hours?)|\bwattage\b|\bpower(?:ful)?\b(?! bank)|\bvolts?\b|\bvoltage\b|\b\d+ ?v\b|\bplug\b|\boutput\b|\belectricity\b|\benergy (?:use|usage|consumption|bill)\b|\brunning costs?\b/, /功率|瓦数|多少瓦(?!时)|电压|插头|输出|费电|耗电|电费|省电|用电量|几度电/], names: /power|output|watt|input|功率|输出|插头|输入/i, units: ["power", "voltage"] },
  // How a charger's or power bank's output is split between devices charging at once.
  {
    id: "power-sharing",
    ask: [/\beach (?:one |port |device |of them )?gets?\b|\bhow much (?:does|do|will|would) each\b|\bsplit (?:between|across|among)\b|\bhow (?:is|does) (?:it|the (?:power|output)) split\b|\bpower sharing\b|\bshared? between\b/, /各分|各给|各(?:能)?分到|分到多少|分配|分多少|每个口分|(?:一起|同时)(?:充|插)[^，。？！,.?!]{0,8}(?:多少瓦|几瓦|功率)/],
    names: /power sharing|split|分配/i,
  },
  { id: "temperature", ask: [/\btemperatures?\b|\btemps?\b|\bdegrees?\b|\bhow hot\b|\bhold (?:it|them|the \w+) (?:there|at (?:that|the|this) (?:temp\w*|heat))\b|\bkeep(?:s)? (?:it |drinks |coffee |water )?(?:hot|warm|cold)\b|\bkeep warm\b/, /温度|多少度|控温|水温|保温|保冷|多热/], names: /temperature|keep warm|insulation|温度|控温|保温|耐温/i, units: ["temperature"] },
  { id: "settings", ask: [/\bsettings?\b|\bmodes?\b|\blevels?\b|\bsteps?\b|\bpresets?\b|\bprogram(?:me)?s?\b|\bfunctions?\b/, /档位|几档|档|模式|预设|菜单|功能/], names: /setting|mode|preset|programme|program|function|档位|模式|菜单|功能/i },
  { id: "room", ask: [/\broom\b|\bsquare met(?:er|re)s?\b|\bm2\b|\bm²\b|\bbedroom\b|\bcover\b(?<!\bwhat (?:does|will|would) (?:it|the warranty|that|this) (?:actually |really |even )?cover\b)/, /面积|平米|平方|房间|卧室|客厅|\d\s*(?:个)?平(?![底时常安板衡])/], names: /room|area|面积/i, units: ["area"] },
  { id: "timer", ask: [/\btimer\b|\bdelay\b|\bschedule\b|\bin the morning\b|\bset it to cook\b|\bset (?:a |the )?time\b[^?.!]{0,20}\b(?:off|stop)\b/, /定时|预约|(?:设置|设定)(?:个|一个|好)?时间[^，。？！,.?!]{0,6}关/], names: /timer|delay|定时|预约/i },
  { id: "cord", ask: [/\bcable\b|\bcord\b/, /电源线|线长|线有多长/], names: /cord|cable|电源线|线长/i },
  { id: "bluetooth", ask: [/\bbluetooth\b|\bconnect (?:to )?(?:two|2|both)\b|\bat the same time\b|\bmultipoint\b|\bcodecs?\b|\bldac\b|\baac\b/, /蓝牙|双设备|同时连接|编码|ldac/], names: /bluetooth|codec|蓝牙|编码/i },
  { id: "flicker", ask: [/\bflicker\w*\b/, /频闪|闪烁|闪吗|会闪/], names: /flicker|频闪/i },
  { id: "light", ask: [/\bbright(?:ness|est)?\b|\blumens?\b|\blight (?:modes?|colou?r)\b|\bcolou?r temperature\b/, /亮度|多亮|最亮|亮不亮|流明|色温|灯光/], names: /bright|light|illuminance|colour temperature|亮度|灯光|照度|色温/i, units: ["light"] },
  // Which hand it suits: a knife's edge, scissors, a mouse ("左撇子能用吗" → "左右手通用").
  { id: "handedness", ask: [/\bleft[- ]?hand(?:ed|ers?)?\b|\blefties?\b|\blefty\b|\beither hand\b/, /左撇子|左手|左右手/], names: /left and right hands?|either hand|左右手/i },
  // How it feels on the skin ("is it scratchy", "扎不扎人"): a material's fibre answers it.
  { id: "texture", ask: [/\bitch(?:y|iness|es)?\b|\bscratchy\b|\bprickly\b/, /扎人|扎不扎|扎皮肤|刺痒|发痒|痒不痒|会痒|手感/], names: /material|fabric|micron|texture|材质|面料|微米|手感/i },
  { id: "firmness", ask: [/\bfirm(?:ness)?\b|\bsoft\b|\bhard\b/, /软硬|硬不硬|软不软|偏硬|偏软/], names: /firmness|软硬/i },
  { id: "returns", ask: [/\breturn(?:able|s)?\b|\brefund\b|\bsend (?:it )?back\b/, /退货|退换|能退(?!差价)|可以退(?!差价)|退款|无理由/], names: /returns?|退货/i },
  { id: "fill-weight", ask: [/\bfill weight\b|\bhow much (?:down|filling|fill)\b|\b(?:grams|g) of (?:down|fill|filling|feathers?)\b/, /充绒量|充绒多少|多少克(?:绒|羽绒|鸭绒|鹅绒)|几克(?:绒|羽绒)|(?:绒|羽绒)(?:有)?多少克/], names: /fill weight|充绒|\bg fill\b/i },
  { id: "fill-power", ask: [/\bfill power\b|\bloft\b|\bhow warm\b|\bwarm enough\b|\bwarmth\b|\bwinter\b|\bsummer\b/, /蓬松度|保暖|暖和|冬天|夏天/], names: /fill power|warmth|season|蓬松度|保暖|适用季节|填充/i },
  { id: "certification", ask: [/\bcertif\w*\b|\boeko\b|\bsafe for (?:kids|babies)\b|\bplane\b|\bflight\b|\bfly\b|\bairline\b/, /认证|飞机|航班|登机/], names: /certification|认证/i },
  { id: "safety", ask: [/\bboils? dry\b|\bboil-dry\b|\boverheat\w*\b|\bshut[- ]?off\b|\bsafety\b|\bturn(?:s)? (?:itself )?off\b/, /烧干|干烧|过热|断电|自动关|安全/], names: /safety|protection|安全|保护/i },
  { id: "suction", ask: [/\bsuction\b|\bpowerful\b/, /吸力/], names: /suction|吸力/i },
  { id: "ports", ask: [/\bports?\b|\busb\b/, /接口|几个口|口/], names: /ports?|接口/i },
];

/** Questions about store policy rather than a product's facts (shipping, payment, orders…). */
export const STORE_TOPICS: RegExp[] = [
  /\b(?:ship(?:ping|ped|s)?|deliver(?:y|ed)?|dispatch|courier|parcel|postage|send (?:it |them |this )?(?:to|abroad|overseas)|track(?:ing)?|payment|pay|alipay|wechat|instal(?:l)?ments?|invoice|fapiao|tax(?:es)?|vat|coupon|discount|price (?:protection|drop|match)|member(?:ship)?|points|gift card|(?<!\b(?:go|goes|went|gone|going|been|first|put) on )sale|refund|return(?:s|ed)?|exchange|cancel(?:l?ed|l?ing|lation)?|pre-?orders?|warranty claim|claim|repairs?|complain(?:t|ts)?|hotline|customer service|(?:service|opening|business|store) hours|account|log ?in)\b/,
  /发货|快递|物流|配送|运费|包邮|送货|到货|几天到|寄到|寄往|发往|发到|邮寄|港澳|海外|支付|付款|分期|发票|含税|增值税|优惠|折扣|价格保护|保价|补差价|会员|积分|礼品卡|退款|退货|退换|能退|可以退|换货|取消订单|能取消|可以取消|还能取消|预售|维修|报修|售后|投诉|热线|客服|上班|下班|营业时间|活动|账号|登录/,
];

/** A shopper's own order or account problem: only a person can look into it. */
export const PERSONAL_CASE: RegExp[] = [
  /\bmy (?:order|parcel|package|delivery|refund|account|payment)\b|\border (?:no\.?|number|#)?\s*\d{6,}|\b(?:charged|billed) twice\b|\bhasn'?t arrived\b|\bnever (?:arrived|received)\b|\b(?:arrived|came|delivered) (?:broken|damaged)\b|\bwrong (?:item|size|colou?r) (?:was )?(?:sent|delivered)\b|\bgot the wrong\b/,
  /\bi (?:ordered|bought|paid for|received)\b.*\b(?:but|only|missing|wrong|broken|damaged|never|not|twice)\b|\bonly (?:got|received)\b|\bmissing (?:item|part|piece)s?\b/,
  /我的订单|订单号|我的包裹|我的快递|没收到|还没到|扣了两次|重复扣款|收到的.{0,8}(?:坏|破|错|裂|碎)|发错|少发|漏发|开不了机/,
  /\b(?:never|didn'?t|did not|haven'?t|have not) (?:got|get|gotten|receive|received|arrive|arrived|come|came)\b|\bwhere(?: is|'s| are) my\b|\btracking (?:says|shows)\b/,
];

/**
 * A shopper reporting a problem with their own order or item ("where is my order…, it hasn't moved",
 * "收到的锅有裂纹"): an order reference and a trouble word, not asked as a hypothetical ("what if it
 * arrives broken?" is a policy question). The store's pages cannot look into it: only a person can.
 */
export const ORDER_REFERENCE: RegExp[] = [
  /\bmy (?:order|parcel|package|delivery|refund|item|items|payment|account|return)\b|\bmy (?:\w+ ){1,2}(?:has |have |is |are )?(?:stopped|won'?t|doesn'?t|don'?t|isn'?t|aren'?t|keeps?|broke|died)\b|\b(?:stopped|quit) (?:working|\w+ing)\b|\border (?:no\.?|number|#)?\s*[a-z]{0,4}[\d-]{6,}|\b\d{8}-?\d{3,}\b|\bi (?:ordered|bought|paid for|received|got)\b|\b(?:got|ordered|bought) (?:mine|it|them|these|this|two|2) (?:\w+ )?(?:last|this|a|on|yesterday|of these)\b|\btracking (?:says|shows)\b|\bafter (?:a|one|two|three|a few|\d+) (?:days?|weeks?|months?)\b|\b(?:app|it|tracking|status|order) (?:says|shows) (?:it'?s |it was )?delivered\b|\b(?:arrived|came|was delivered|showed up)\b|\bmine (?:won'?t|doesn'?t|isn'?t|has|keeps?|stopped|broke|died|just)\b/,
  /我的(?:订单|包裹|快递|退款|货)|订单号|\d{8,}|我(?:买|收到|下单)的|收到的|刚收到|到货的?|(?:上周|上个月|前几天|前两天|昨天|前天|刚|之前|上次|去年|最近|在你们?家|从你们?(?:这|家)?)(?:买|收到|入手|下单|拿到)的|显示(?:已)?签收|签收了|(?:用|买|戴|穿)了(?:才|不到|没)?[一二两三四五六七八九十几半\d]+多?(?:天|周|个?多?星期|个多?月|年)|下的单|下了单|拍(?:下)?的单|(?:今天|昨天|前天|刚刚?|才)(?:送|寄)?到/,
];
export const ORDER_TROUBLE: RegExp[] = [
  /\b(?:hasn'?t|has not|haven'?t|have not|never|didn'?t|did not|isn'?t|is not|won'?t|doesn'?t|does not|not) (?:\w+ ){0,2}(?:arrived?|received?|moved?|updated?|come|came|got|get|work(?:ing)?|(?:turn|switch)(?:s|es|ing)? on|charg(?:e|es|ing))\b|\bstill (?:waiting|not|hasn'?t)\b|\bstuck\b|\bno update\w*\b|\bmissing\b|\bonly (?:got|received|came)\b|\bonly (?:one|1|half) (?:was|were|came|arrived|in)\b|\bdribbl\w*|\bdrip(?:s|ping)\b|\b(?:broken|damaged|cracked|dented|scratched|faulty|defective|leak(?:s|ing)?|wrong|a (?:dent|crack|chip|scratch))\b|\b(?:charged|billed) twice\b|\bwhere(?: is|'s| are)\b|\bstopped (?:working|\w+ing)\b|\bno longer (?:works?|charges?|turns? on|connects?|pairs?|holds?)\b|\b(?:died|dead)\b|\bkeeps? (?:dying|disconnecting|cutting out|turning off|switching off)\b|\bnothing (?:at|by|outside) (?:my|the) door\b|\b(?:puffed up|swell(?:ed|ing)|swollen|bulg(?:ed|ing)|overheat(?:ed|ing)|melt(?:ed|ing)|smok(?:ed|ing))\b|\b(?:snapped|broke off|came off|fell off|came apart)\b|\b(?:weaker|worse|slower|shorter|quieter) than (?:before|when (?:new|i got it)|it (?:was|used to be))\b|\bgetting (?:weaker|worse|slower)\b|\blost (?:its |some |most of its )?(?:suction|power|charge)\b/,
  /没(?:收到|到|更新|动静|动|发货|反应|电)|还没|不动|坏了?|破了?|裂|碎|断了|断掉|折断|多付|多扣|没扣上|扣错|发错|错了|少了|少发|漏发|漏水|扣了两次|重复扣款|开不了机|不工作|用不了|不亮|不转|怎么回事|到哪了|在哪|起球|掉毛|褪色|变形|生锈|异响|没声音?|失灵|根本没|鼓包|鼓起|胀起|发烫|冒烟|烧焦|划痕|划伤|刮花|刮伤|磕坏|磕破|凹进|凹了|掉漆|缺口|缺角|充不(?:进|上|了)电?|不(?:能)?充电|连不上|断连|变(?:小|弱|差|慢|短)了|越来越(?:小|弱|差|慢|短)|不如(?:以前|刚买)|(?:发|寄)了没|没有?(?:任何|一条)?(?:物流)?(?:记录|信息)|一条(?:物流)?(?:记录|信息)都没/,
];
/** A question asked about a case that may happen ("what if…", "如果…"), not one that has. */
export const HYPOTHETICAL = /\b(?:what if|if|in case|suppose|supposing|should it)\b|如果|万一|要是|假如|假设/;

/**
 * Asking whether the store offers something beyond the page: another version or model of the
 * product, making it to order, a service around it. A product's facts describe the product as
 * sold, so they rarely answer these ("能定制尺寸吗" is not answered by the size).
 */
export const OFFER_REQUEST: RegExp[] = [
  /\bdo (?:you|u|ya) (?:guys |folks )?(?:also )?(?:sell|make|offer|stock|carry|do)\b|\b(?:can|could|would|will) (?:you|u|ya)(?: guys)? (?:please )?(?!tell|let|explain|confirm|say|show|check|recommend|suggest|find|pick|choose|compare)[a-z]+\b[^?.!]*\bfor me\b|\b(?:do (?:you|u|ya) have|have (?:you|u) got|is it available|does it come|do they come|can i get) (?:it |this |them |these |one |this [a-z]+ |these [a-z]+ )?in (?:an? |the )?(?:[a-z0-9-]+ ){0,2}[a-z0-9-]+|\b(?:kids?|child(?:ren)?'?s?|baby|toddler|petite|plus)[- ]?(?:sizes?|versions?|models?)\b|\bpart[- ]exchange\b|\b(?:trade|swap|exchange) (?:in )?my old\b|\b(?:is|are) there (?:an?|any) (?:\w+[- ]?){0,3}(?:version|model|edition|variant)s?\b|\b(?:do (?:you|u|ya) (?:have|sell|make|do)|have (?:you|u) got|got) (?:an?|any) (?:\w+[- ]?){0,3}(?:version|model|edition|variant)s?\b|\b(?:you|u) (?:guys )?(?:do|make|sell|have) (?:it|this|them|these|one) in\b|\b(?:any|is there an?|are there any) (?:version|model|edition|variant|one)s? with\b|\b(?:(?:is|are) there|do (?:you|u|ya) (?:have|sell|make|do)|have (?:you|u) got|got) (?:an?|any) (?:bigger|smaller|larger|longer|shorter|cheaper|lighter|firmer|softer|thinner|thicker|wider|narrower|taller|lower) (?!colou?rs?\b|shades?\b)\w+|\b(?:another|other|different|newer|older) (?:version|model|edition|variant)s?\b|\bcustom(?:i[sz]e[sd]?|[- ]made)?\b|\bpersonali[sz]\w*|\bengrav\w*|\bmonogram\w*|\bextended\b|\bmade to (?:order|measure)\b|\btrade[- ]?in\b|\b(?:do you have|is there|got) an? \d+(?:\.\d+)? ?(?:cm|mm|l|litre|liter|inch|m) (?:one|version|model)\b/,
  /定制|订做|定做|刻字|其他(?:颜色|尺寸|型号|款式|版本)|别的(?:颜色|尺寸|型号|款式|版本)|有没有.{0,8}(?:款式|版本|型号)|有(?:没有)?[^，。？！,.?!吗]{1,8}(?:款|版|色)的?(?:吗|呢|么|嘛)|有没有[^，。？！,.?!吗]{1,8}的(?=[，,；;？?！!。.]|$)|有没有[^，。？！,.?!吗]{1,8}的(?:款|版)(?=[，,；;？?！!。.]|$)|(?:能|可以|能不能|可不可以)(?:先|帮我)?(?:寄|送|发|做|剪|裁|切|改|刻)[^，。？！,.?!]{0,10}给我|(?:儿童|婴儿|宝宝|小孩|童)(?:款|版|尺寸|尺码|用)|手摇款|折价|旧换新|换新|回收旧|(?:大|小|长|短)一(?:点|号)的(?:款|版)?|延保|加长版|升级版|以旧换新|有(?:没有)?\s*(?:\d+(?:\.\d+)?|[一二两三四五六七八九十百千万半]+)\s*(?:厘米|毫米|毫升|公升|升|寸|米|码|号|斤|公斤|瓦|毫安时?|人份)的(?:吗|款|版|么|呢|大号|小号)?|有(?:没有)?(?:更|再)(?:大|小|长|短|高|矮|宽|窄|厚|薄|轻|软|硬|便宜)(?:一)?(?:点|些)?的|(?:便宜|实惠)(?:一)?(?:点|些)的(?:款|版|型号)?|兼容款/,
  // A price or discount for a group of buyers ("student discount", "学生买有优惠吗"): the store's
  // general coupons are not it unless its policy names the group.
  /\b(?:student|military|veteran|teacher|senior|elderly|nurse|doctor|healthcare|first[- ]responder|employee|staff|corporate|bulk|wholesale|group|education(?:al)?)\s+(?:discount|price|pricing|rate|deal|offer)s?\b|\b(?:discount|deal|price|offer)s? for (?:students?|teachers?|seniors?|the elderly|veterans?|the military|military|nurses?|doctors?|employees|staff|groups?|bulk orders?|businesses|companies)\b/,
  /(?:学生|教师|老师|军人|退伍军人|老人|老年人|长者|医护|员工|企业|团购|批发|大客户)[^，。？！,.?!]{0,4}(?:优惠|折扣|打折|特价|便宜|价格)/,
  // A service around the product rather than the product: wrapping, installing, renting, matching a price.
  /\bgift[- ]?(?:wrap\w*|box(?:ed)?)\b|\binstallation(?: service)?\b|\binstall (?:it|them) for me\b|\b(?:send|sends) (?:someone|a technician)\b|\bassembly service\b|\bprice[- ]?match\w*|\b(?:rent|rental|lease|leasing)\b|\b(?:pick (?:it |them |this |my order )?up|collect (?:it |them |my order )?)(?: myself| in person)? (?:from|at) (?:your|the) (?:warehouse|store|shop|office|depot)\b|\b(?:self[- ]?)?pick-?up (?:in person|option|point)\b|\bclick and collect\b|\bcollect (?:it )?in person\b|\bsubscri(?:be|ption)\b|\bauto[- ]?(?:ship|deliver|replenish)\w*|\brecurring (?:order|delivery|deliveries)\b/,
  /礼品包装|礼盒包装|包装成礼物|上门安装|安装服务|上门服务|送装一体|租赁|出租|可以租|能租|自提|自取|上门取货|到店取|仓库取|订阅|定期(?:配送|送货|发货|寄)|自动续订/,
  // An accessory made to go with the product ("is there a cast iron lid that fits this", "有配套的锅盖吗").
  /\b(?:is there|are there|do (?:you|u) (?:have|sell|make)|can i (?:get|buy)) (?:an?|any|some) (?:[a-z-]+ ){0,3}[a-z-]+ (?:that|which|to) (?:fits?|goes? with|works? with|matches)\b/,
  /(?:有没有|有)(?:配套|适配|匹配|能配|可以配)的/,
  // A part of the product sold on its own ("buy just the lids separately", "盖子能单独买吗").
  /(?<!\b(?:need|needs|have|has|got) to )\b(?:buy|sell|order|get|purchase)\b(?: \w+){0,4} (?:separately|individually|on (?:its|their) own|by (?:itself|themselves))\b/,
  /单独(?:买|卖|购买|出售|购买)|单买|单卖|补买|加购|(?:再|多)买(?:一|两|几)个/,
  // A spare of a part, bought from the store ("buy a second battery off you", "order a spare lid").
  /\b(?:buy|order|purchase)\b(?: \w+){0,2} (?:second|spare|extra|backup|additional)\b|\b(?:buy|order|get|purchase) (?:just )?(?:a |an |one )?(?:single |spare |replacement |extra |new )+[a-z]+|\b(?:spare|replacement|extra|second) [a-z]+ (?:sold|available|for sale)\b|\bsold on your (?:site|shop|store)\b/,
  /(?:你们|店里|店铺|贵店)[^，。？！,.?!]{0,3}有(?:没有)?卖|有(?:没有)?得卖|有没有卖/,
  // A programme the shopper asks whether the store runs (referral rewards, cashback).
  /\brefer(?:ral|ring)?(?: a friend| programm?e| bonus| code| reward)s?\b|\binvit(?:e|ing) (?:a )?friends?\b|\bcash ?back\b/,
  /邀请好友|邀请朋友|推荐好友|推荐朋友|拉新|返利|返现|推荐奖励|邀请奖励|邀请码/,
];

/**
 * What a yes/no question asks the product to do ("does it mop floors too": mop), read only when it asks
 * for no kind of fact the lexicon knows: a page that never uses the verb does not say it does that.
 */
export const ACTION_FRAME = /^(?:\W*(?:and|also|so|but|ok|hey)\W+)?(?:does|do|will|would|can|could) (?:it|this|they|these|this one|the [a-z]+) (?:also |even |still |actually |really )?([a-z]{3,})\b/;

/**
 * A yes/no question that casts something in a role for the product: the means it works with ("charge
 * it with a solar panel"), what it would serve as ("use it as a speaker", "能当音箱用"), what it
 * would power ("能给电动车充电吗"). The first group is that thing: when the page never names it,
 * no fact of the page says yes or no to it.
 */
export const ROLE_FRAMES: RegExp[] = [
  /(?<!\b(?:come|comes|came|coming|included|include|includes) )\b(?:with|using|via) (?:a |an |my |the |some |our )?((?:[a-z0-9-]+ ){0,5}[a-z0-9-]+?)(?= too\b| as well\b|[?.!,]|$)/,
  /\b(?:work|works) (?:in|with|for) (?:a |an |my |the |our )?((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+?)(?= too\b| as well\b|[?.!,]|$)/,
  /\buse (?:it|them|this|these) (?:for|to|in|on) (?:a |an |my |the )?((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+?)(?= too\b| as well\b|[?.!,]|$)/,
  /\b(?:as|like) (?:a|an) ((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+?)(?= too\b| as well\b|[?.!,]|$)/,
  /(?:当(?:成|作)?|作为|代替)([^，。？！,.?!]{1,8}?)(?:用|使用|外放|吗|么|$)/,
  /给([^，。？！,.?!]{1,8}?)(?:无线)?充电/,
  // Charging done a way the product may not offer ("charge it wirelessly"): the way is the role.
  /\bcharg(?:e|es|ing)\b(?: \w+){0,3}? (wireless)(?:ly)?\b/,
  /用([^，。？！,.?!]{1,8}?)(?:充电|供电|充|付款|支付|付钱|结账|买单)(?:吗|么|$)/,
  // Who or what it would suit ("ok for my 6 year old", "适合小孩用吗"): a page that never names them does not say.
  /\b(?:ok|okay|good|safe|suitable|fine|right|alright) for (?:my |a |an |the |our )?((?:[a-z0-9-]+ ){0,3}[a-z0-9-]+?)(?= too\b| as well\b|[?.!,]|$)/,
  /适合([^，。？！,.?!]{1,8}?)(?:用|使用|吃|穿|睡)?(?:吗|么|嘛|$)/,
];

/**
 * A question comparing the product with another one it names ("和索尼XM5比哪个降噪更好", "is it warmer
 * than my uniqlo ultra light down", "compared to my old one"): the first group is the other product. When the page
 * never names it, no sentence of the page compares the two, whatever the question's kind of fact.
 */
export const COMPARISON_FRAMES: RegExp[] = [
  /\b(?:compared? (?:to|with)|vs\.?|versus|(?:more|less) [a-z]+ than|[a-z]+er than|same as|different from|difference (?:from|to))\s+(?:the |a |an |my |our )?((?:[a-z0-9-]+ ){0,3}[a-z0-9-]+?)(?=\s*(?:[?.!,]|$|\bfor\b|\bin\b|\bwhen\b|\bat\b|\bwhich\b|\bor\b))/,
  /(?:和|跟|与|同)\s*([^，。？！,.?!\s和跟与同](?:[^，。？！,.?!\s和跟与同]|\s(?=[A-Za-z0-9])){0,15}?)\s*(?:比|相比|比较|对比|比起来|哪个|谁)/,
  /(?:比|不如)([^，。？！,.?!\s]{1,10}?)(?:更|还)?(?:好|强|差|贵|便宜|安静|轻|重|耐用|值)/,
  /(?:^|[，。？！,.?!\s])([^，。？！,.?!\s和跟与]{2,12}?)\s*(?:和|跟|与)(?:这个|这款|这台|它)(?:比|相比|比较|对比|哪个|谁)/,
];

/**
 * What a shopper asks to come in the box ("does it come with a storage bag", "送收纳袋吗"): the box's
 * contents answer it when the page lists them; a page that lists none and never names the thing cannot.
 */
export const BOX_FRAMES: RegExp[] = [
  /\b(?:come|comes|came) with (?:a |an |any |the |its own |some )?((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+)/,
  /(?:送|附送|附带|配)((?:(?!吗|么|嘛|什|哪|几|多少|不)[^，。？！,.?!\s]){2,6}?)(?:吗|么|嘛)\s*$/,
];

/**
 * A yes/no question asking whether the product has or supports a feature ("does it have a
 * transparency mode", "is there a red one", "带称重功能吗", "支持无线充吗"): the first group is the
 * feature. Asked in words of a kind of fact the lexicon knows ("有保修吗"), the fact answers it; in
 * other words, a page that never names the feature does not say it has one.
 */
export const FEATURE_FRAMES: RegExp[] = [
  /\b(?:does|do|did|will|would|can) (?:it|this|they|these|the [a-z]+) (?:have|has|got|support|offer|feature)s? (?:a |an |any |the )?((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+)/,
  /\b(?:is|are) there (?:a |an |any )?((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+)/,
  // What it has got, and an accessory for it ("has the lantern got a speaker", "can I buy a straw lid for it"). What
  // it comes with is the box's contents, a kind of fact: the list answers it.
  /\b(?:has|have) (?:it|this|they|these|the [a-z]+) got (?:a |an |any |the )?((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+)/,
  /\bcan (?:i|you|we) (?:buy|get|order) (?:a |an |any |the |some |spare |extra )((?:[a-z0-9-]+ ){0,2}[a-z0-9-]+) (?:for|to fit|that fits) (?:it|this|these|them|the [a-z]+)\b/,
  // Not "带得动吗" (can it cope with), which asks what it can do, not what it has.
  /(?:带(?![得不动])|有|支持)((?:(?!有没有|吗|么|嘛|什|哪|几|多少)[^，。？！,.?!\s]){1,6}?)(?:的|功能|模式)?(?:吗|么|嘛)\s*$/,
  /(?:带不带|有没有|支不支持)((?:(?!吗|么|嘛|什|哪|几|多少)[^，。？！,.?!\s]){1,6}?)(?:的|功能|模式)?(?:吗|么|嘛|呢)?\s*$/,
];

/**
 * Asking the store to predict or judge ("will the price drop next month", "现在买亏不亏", "值不值"):
 * no page of the store says, and its price-protection entry is about prices already paid.
 */
export const PREDICTION: RegExp[] = [
  /\b(?:will|would|is|are|gonna|going to)\b[^?.!]{0,30}\b(?:prices?|it|they|this|these|those|them|that|one)\b[^?.!]{0,20}\b(?:drop|go down|come down|get cheaper|be cheaper|fall|be on sale|be discounted|go on sale|increase|go up)\b|\bworth (?:it|the money|buying|waiting)\b|\bshould i (?:wait|buy)\b|\b(?:thinking of|think i'?ll|better (?:to )?|i'?ll) wait(?:ing)?\b|\bwait (?:for|until|till|til) (?:the |a )?(?:sales?|discounts?|price drops?|new year|black friday|singles'? day|11\.11|618|next month)\b/,
  /(?:会不会|会|还会|能不能|可能)(?:再)?(?:降价|便宜|打折|涨价|搞活动)|亏不亏|值不值|值得买吗|现在买(?:划算|合适|亏|值)|要不要等|(?:等|过了?)(?:到)?(?:过年|年后|双十一|双11|618|下个月|活动)[^，。？！,.?!]{0,4}(?:再买|会|能|便宜|降价)/,
  // Whether a newer model is coming: no page announces one.
  /\b(?:new|newer|next) (?:model|version|generation)\b[^?.!]{0,20}\b(?:coming|come out|comes out|released?|launch\w*|soon)\b|\b(?:is|are) (?:a |an )?(?:new|newer|updated) (?:model|version|one)s? (?:coming|due|planned)\b/,
  /(?:会不会|会|还会|要|快|打算)(?:出|推出|上)新(?:款|品|型号|版本)|新款什么时候(?:出|上)/,
  // Whether the product will cure or ease a health condition: a judgement no product page makes.
  /\b(?:cure|heal|treat|fix|help(?: with)?|relieve|ease|get rid of|prevent|stop)\b[^?.!]{0,20}\b(?:spondylosis|arthritis|pain|aches?|insomnia|snoring|apnea|allerg(?:y|ies)|asthma|eczema|sciatica|migraines?|headaches?|hernia|scoliosis|condition|disease|illness|injury)\b/,
  /(?:治|治疗|治好|根治|缓解|改善|预防|有助于|帮助)[^，。？！,.?!]{0,8}(?:病|疼|痛|炎|失眠|打呼|打鼾|过敏|哮喘|湿疹|颈椎|腰椎|脊椎|症)/,
  // Whether it suits someone with a health condition or in pregnancy: a judgement for a doctor.
  /\b(?:pregnan\w*|tinnitus|hearing loss|pacemakers?|epilep\w*|diabet\w*|allerg(?:y|ies|ic)|asthma\w*|eczema|arthritis|spondylosis|herniated|rhinitis|copd)\b/,
  /怀孕|孕妇|孕期|哺乳期|耳鸣|听力下降|心脏起搏器|癫痫|糖尿病|过敏体质|对[^，。？！,.?!]{1,6}过敏|哮喘|湿疹|关节炎|颈椎病|腰椎间盘|鼻炎|高血压/,
];

/**
 * Asking for an amount ("how many", "how long", "多少", "几次", "多重"): a right answer states a
 * number, whatever kind of fact holds it ("the box of 12 sachets", "能给手机充满 4 次").
 */
export const QUANTITY_QUESTION: RegExp[] = [
  /\bhow (?:many|much|long|big|large|heavy|tall|wide|high|deep|thick|hot|cold|loud|often|far|old|fast|soon)\b/,
  /多少|几(?!乎)|多[大长重高宽深厚久远热冷沉]/,
];

/**
 * Words that shape a question without naming what it is about ("what happens", "怎样", "这款"):
 * left out when measuring whether the page or an answer speaks of the question's own words.
 */
export const QUESTION_WORDS = new Set(
  (
    "happen happens happened support supports supported 支持 buyer buyers customer customers shopper shoppers get got need needs much many long often good ok okay like work works use used really actually please " +
    "thing one ones version kind type way whether tell know want would there's it's what's does doesn't don't can't isn't " +
    "come comes coming set fit fits go goes take takes make makes say says give gives put keep keeps stay stays " +
    "时间 多长 多大 多少个 哪些 什么 可以 能否 是否 怎么办 " +
    "另外 额外 还要 还得 需要 " +
    // 几 with a measure word asks a count of what follows ("几级过滤", "几档风速"), as 几个 does.
    "几级 几档 几挡 几层 几种 几次 几块 几根 几片 几条 几台 几只 几张 几段 几组 几节 几格 几位 几款 " +
    "怎样 怎么样 怎么 咋 咋样 啥 啥样 哪 哪个 哪种 哪里 多少 多久 几个 几 会不会 能不能 可不可以 是不是 有没有 还是 这款 这个 那个 一下 请问 吗 呢 吧 啊 呀 嘛 么 了 会 能 可以 有 是 的 用 买 款 个 下"
  ).split(" "),
);
