import type { Dimension } from "./quantities.ts";
import type { FactKind } from "./product.ts";

/**
 * The reviewed lexicon of how shoppers ask for a kind of product fact, in en and zh, and how a
 * catalog names that kind of fact. It is about kinds of facts, never about one product: a
 * product's own attribute names, units and values do the rest (see match-facts.ts).
 *
 * - `ask`: shopper phrasings (tested on the normalised question; longer matches are more specific).
 *   The first one or two patterns of each kind (en, then zh) are phrasings a reviewer drafted from
 *   this lexicon and the catalog's attributes alone, apart from every question set, each kept only
 *   where it cost no right answer on any set (one example each: test/fixtures/shopper-phrasings.json).
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
    ask: [/\bwhat'?s the damage\b|\bpric(?:e?y|ier)\b|\bwhat (?:would|do|will|'?d) (?:i|we) (?:have to )?pay\b|\bhow many (?:yuan|rmb|kuai|bucks|dollars|quid)\b|\b(?:affordab\w+|rrp|msrp)\b|\bwhat(?:'ll| will| would| does) (?:it|this|that|one) run (?:me|you|us)\b/, /(?<![很好许太])多钱|几多钱|到手价|券后价|标价|原价|现价|单价|咋卖|怎么收费|咋收费|报个?价|贵(?:么|嘛|不)(?!.{0,2}[比过])|多少米(?=[一每](?:个|台|件|套))|多少银子/, /\b(?:price|prices|priced|cost|costs|pricing|expensive|cheap|cheaper)\b|\bwhat(?:'s| is) it going for\b|\bset me back\b|\b(?:sell|sells|selling|retail|retails) for\b|\b(?:what|how much) (?:are|do|would) (?:you|u)(?: guys)? (?:charg(?:e|ing)|ask(?:ing)?|want) (?:for|to)\b/, /\bhow much\b(?! (?:space|room|clearance|gap|time|water|oil|rice|power|noise|down|fill|filling|light|heat|air)\b)(?! (?:\w+ )?(?:can|does|will|do)\b(?! it cost))(?!.*\b(?:hold|weigh|fit|take|carry|load)\b)/, /多少钱|价格|价钱|售价|几块钱|贵不贵|贵吗|怎么卖|卖多少|什么价|啥价|价位/],
    names: /price|价格|售价/i,
    units: ["money"],
    kinds: ["price"],
  },
  { id: "weight", ask: [/\bheft\w*\b|\blug (?:it |them )?(?:around|about)\b/, /(?:^|[^承载不严贵隆])重(?:吗|么|嘛)|多少斤(?!的人)|多少公斤(?!的人)|几两|沉(?:吗|么|嘛)|压手|净重|毛重|分量|轻便|轻吗|轻么/, /\bhow heavy\b|\bweigh(?:s|t)?\b(?!.*\b(?:hold|take|support|carry|bear|put|place|hang|load|sit|stand)\b)|\bheavy\b|\blightweight\b/, /多重|重量|重不重|有多沉|沉不沉|几斤|几公斤|多少克|轻不轻/], names: /weight|重量/i, units: ["mass"] },
  {
    id: "load",
    ask: [/\b(?:big|heavy|heavier|large|larger) (?:guy|person|people|man|bloke|adult|gentleman)s?\b|\brated (?:for|to)\b|\bweight[- ](?:rating|capacity|wise)\b|\bcollapse under\b|\bbuckle\b|\bgive way\b/, /胖子|胖的人|体重大的|大体重|撑(?:多少|几)(?:斤|公斤|千克)|撑得住|吃重|坐塌|压塌|压坏|坐坏/, /\b(?:hold|support|take|carry|bear|put|place|hang|load|sit|stand)\b.*\b(?:weight|kg|kilos?|heavy|pounds)\b|\b(?:weight|kg|heavy)\b.*\b(?:hold|support|take|carry|bear|put|place|hang|load|sit|stand)\b|\bweight limit\b|\bmax(?:imum)? (?:load|weight)\b/, /承重|能承受|能放多重|能坐多重|能挂多重|最多能放|载重|放多少斤|放多少公斤|多重的人|\d+\s*(?:斤|公斤|千克|kg)[^，。？！,.?!]{0,8}(?:坐|躺|站|睡|塌|承受|撑|压)/, /\b(?:i'?m|i weigh|weighs?|weighing) (?:about |around |nearly |over )?\d+ ?(?:kg|kilos?|lbs?|pounds)\b/],
    names: /load|承重|载重/i,
  },
  { id: "length", ask: [/\bhow long'?s\b|\bhow many (?:cm|centimet(?:er|re)s|inches|mm|metres|meters) long\b|\blong enough\b/, /(?:几|多少)(?:米|厘米|公分|毫米|cm|mm)长|长(?:几|多少)(?:米|厘米|公分)|够(?:不够)?长|长度够|多短/, /\bhow long (?:is|are)\b|\bhow (?:short|low)\b/, /多长|多矮|多低/], names: /length|height|长|高/i, units: ["length"], generic: true },
  { id: "interval", ask: [/\bneed (?:a )?new (?:filter|tips?|one|pads?|cartridge)\b|\bneeds? chang(?:ing|ed)\b|\bchange (?:them|the (?:tips|pads|cartridge|filters))\b|\bhow long (?:does|do|will|would) (?:a|the|each|one) (?:filter|cartridge|tip|pad|refill|sachet)s? last\b|\b(?:filter|cartridge|tip) (?:life|lifespan)\b/, /隔多久|隔多长时间|多久(?:要|得|需要)换|(?:几|多少)个?月(?:要|得)?换|经常换|勤换|常换|替换(?!装)/, /\bhow often\b|\breplace(?:ment)?\b|\bswap (?:it )?out\b|\bchange (?:it|the filter)\b/, /多久换|更换|换一次|多长时间换/], names: /interval|replace|更换|周期/i },
  { id: "shelf-life", ask: [/\bbest before\b|\buse[- ]by\b|\bsell[- ]by\b|\bhow long (?:does|will|would) (?:it|they|this|these) keep\b|\bgo(?:es)? (?:bad|stale|off)\b|\bstay fresh\b|\bhow long (?:is|are) (?:it|they|this|these) good for\b/, /有效期|保存多久|存放多久|放多久会坏|能存多久|变质|放坏|失效|开封(?:后|了)(?:能|可以|还能)?(?:用|放|保存)?多久/, /\bexpir\w*\b|\bshelf life\b|\bgo off\b|\bkeep for\b/, /过期|保质期|能放多久/], names: /shelf life|保质期/i },
  {
    id: "size",
    ask: [/\bhow much (?:counter |desk |floor |shelf )?space\b|\bdims\b|\bl ?x ?w ?x ?h\b|\bbulky\b|\bhow compact\b|\bcompact\b|\broomy\b|\bspacious\b/, /体积|(?:^|这个?|它|个头|个儿)(?:大不大|小不小|大吗|小吗|大么)|占空间|占地方|塞得进|塞进/, /\bhow (?:big|large|small|tall|wide|high|deep|thick)\b|\b(?:bigger|larger|smaller)\b|\blength\b|\bsize\b|\bsizes\b|\bdimensions?\b|\bmeasure(?:ments)?\b|\bfit (?:in|on|under|underneath|beneath|between|inside|into|there)\b|\bcupboard\b|\bheight\b|\bwidth\b|\bdiameter\b|(?<!\b(?:a|an|with|extra|spare) )\bfootprint\b(?![^?.!]*\b(?:come|comes|included?|with|sell|buy)\b)|\bthickness\b|\b(?:chunky|thick|slim|thin) or (?:chunky|thick|slim|thin)\b/, /多大|尺寸|大小|多高|多宽|多长|多深|多厚|长宽|高度|宽度|直径|厚度|放得下|占地|占多大|规格|尺码|码数|(?:哪个|哪一?|几|什么|啥)码|\d+\s*码(?![数])|厚还是薄|薄还是厚/],
    names: /dimension|size|measure|diameter|height|length|width|depth|thickness|尺寸|大小|规格|直径|高度|长度|宽度|深度|厚度|尺码|全长|刃长/i,
    units: ["length"],
    values: /\b(?:xxs|xs|xl|xxl|xxxl|[2-5]xl)\b|\bsize (?:s|m|l)\b|\b(?:eu|us|uk) ?\d{2}\b/,
  },
  { id: "capacity", ask: [/\bservings?\b|\bportions?\b|\bsleeps? (?:two|three|four|\d)\b|\bdoes (?:it|the tent) sleep\b|\bfamily of (?:\d|two|three|four|five|six)\b|\bat once\b/, /一次(?:能|可以)?(?:磨|打|榨|泡|蒸|洗)多少|睡得下|装(?:几|多少)(?:瓶|杯|碗|个)|装得下|放(?:几|多少)个|(?:多少|几)\s*ml/, /\bhow (?:much|many) (?:\w+ )?(?:can|does|will) it (?:hold|take|fit|cook|make)\b|\bhow much (?:\w+ )?(?:can|could|do|will) (?:i|you|we) (?:actually |really )?(?:fill|pour)\b|\bcapacity\b|\bhow many (?:litres?|liters?|cups|people|persons)\b|\blit(?:re|er)s?\b|\bfeed\b|\bserves?\b|\bhold\b(?! (?:it|them|the \w+) (?:there|at\b|warm|hot|steady))|\bin one go\b|\bat (?:a|one) time\b|\ba whole (?:bag|batch|pack|packet)\b/, /容量|一次(?:能|可以)?(?:做|煮|炸|烤|装|放)(?:多少|几|得下|一整)|能装多少|装多少|几升|多少升|多少毫升|几个人|几人|够几|住几|能煮几|[一二三四五六七八九十两几\d]+口人|够不够用|够用吗|(?:烧|煮|盛)多少(?:水|米|饭)?/], names: /capacity|contents|容量|容纳|套装内容/i, units: ["volume"] },
  { id: "material", ask: [/\bmade out of\b|\bconstructed (?:of|from)\b|\b(?:real|genuine|solid|pure|100%) (?:leather|wood|wool|down|silk|cotton|linen|copper|steel)\b|\bis (?:it|this|the \w+) (?:plastic|metal|glass|aluminium|aluminum|stainless)\b|\bbpa\b|\bfood[- ]grade\b|\bwhat (?:kind of |type of )?(?:foam|fibre|fiber|cloth|leather|alloy|rubber)\b/, /啥做的|什么东西做的|真皮|纯棉|全棉|实木|真丝|纯铜|(?:塑料|不锈钢|铝合金|玻璃|陶瓷|实木|纯棉)的(?:吗|么|嘛|还是)|食品级|什么布|啥布/, /\bmade (?:of|from|with)\b|\bmaterials?\b|\bwhat (?:is|'s) it made\b|\bwhat wood\b|\bfabric\b|\bwhat (?:kind of )?(?:steel|metal|plastic|wood)\b|\binner pot\b|\bfilling\b|\bfill\b|\bfilled with\b|\bstuffed with\b|\bwhat(?: is|'s|s) inside\b/, /材质|材料|什么做的|什么材料|面料|用料|填充|填的|什么木|什么钢|内胆/], names: /material|fabric|shell|filling|fill|body|construction|steel|upper|core|wood|layers|材质|面料|填充|锅体|结构|钢材|内胆|鞋面|枕芯|滤层/i },
  {
    id: "colour",
    ask: [/\bwhat (?:does|do) (?:it|they|this|these) come in\b|\bhues?\b|\btints?\b|\bpatterns?\b/, /哪个色|哪款色|哪一色|花色|图案|(?:黑|白|红|蓝|绿|灰|粉|紫|黄|金|银)的还是(?:黑|白|红|蓝|绿|灰|粉|紫|黄|金|银)的|深色|浅色|亮色|暗色/, /\bcolou?rs?\b|\bwhat colou?r\b|\bfinish(?:es)?\b|\bcolou?rways?\b|\b(?:what|which|other|more|lighter|darker) shades?\b|\bshades? (?:available|options?|to choose)\b/, /颜色|配色|色系|色号|(?:什么|啥|几个|几种|哪些|哪几种?|多少种?|别的|其他|其它)颜?色(?![温差])/],
    names: /colou?r|finish|颜色/i,
    // A colour word names a colour when only "one", "colour", "version"… follows it: "green tea" is a tea.
    values: /\b(?:black|white|red|blue|green|grey|gray|pink|purple|yellow|orange|brown|beige|navy|gold|silver|rose gold)\b(?=(?: (?:ones?|colou?rs?|versions?|models?|finish|options?))?(?:\s*[?.!,;]|\s*$| (?:or|and|instead|too|please|available|in stock)\b))|(?:黑|白|红|蓝|绿|灰|粉|紫|黄|橙|棕|米|金|银|玫瑰金|藏青|卡其)色|有(?:没有)?(?:黑|白|红|蓝|绿|灰|粉|紫|黄|橙|棕|金|银)的(?=[吗么呢嘛？?]|$)/,
  },
  { id: "warranty", ask: [/\bguaranteed?s?\b|\bguarantees\b|\bafter[- ]?sales?\b|\bif it (?:dies|stops working|goes wrong|fails|conks out|packs up|breaks down)\b|\b(?:manufactur\w+|factory) (?:defects?|faults?)\b/, /包换|三包|联保|全国联保|出(?:了)?问题(?:怎么办|能修|给修|管吗|包换)|坏了(?:能|可以|给)修|质量问题(?:怎么办|咋办|能换|包换|管吗)/, /\bwarrant(?:y|ies)\b|\bguarantee\b|\bcovered\b|\bif it breaks\b|\bfix (?:it )?(?:for )?free\b|\byears? of cover\b|\bfree (?:repairs?|fix(?:es)?)\b|\bwhat (?:does|will|would) (?:it|the warranty|that|this) (?:actually |really |even )?cover\b/, /质保|保修|保固|包修|坏了怎么办|保(?:几|多少)(?:年|个月)/], names: /warranty|质保|保修/i },
  { id: "in-box", ask: [/\bfree(?:bies| gifts?| extras?)\b|\b(?:buy|get|need) anything else\b|\bhow many (?:pairs|pieces|sachets|packets|bags|tips)\b|\bhow many in (?:a|the|each) (?:pack|box|set)\b|\bpacking list\b|\bpackage contents\b/, /赠品|赠送|送的东西|都有啥|有啥东西|里面有啥|盒子里|还(?:需要|要|得)(?:再)?(?:买|配)(?:什么|啥)/, /\bin the box\b|\bcomes? with\b|\binclude[sd]?\b|\bincluding\b|\bwhat do i get\b|\bwhat'?s in(?:cluded| it)?\b|\baccessor(?:y|ies)\b|\b(?:buy|bought|get|order|sold|pay for) (?:\w+ ){0,3}sep[ae]rately\b/, /另外买|单独买|单买|另购|另买|另配|包装清单|包装里|有什么配件|送什么|送几|送多少|配几|附送|附带|送(?=.{0,4}吗)|带(?![得不动])(?=.{0,4}吗)|配(?=.{0,3}吗)|包含|里面有什么|有什么/], names: /in the box|contents|included|supplied|set contents|包装清单|套装内容|套件内容|附送|附带|随附/i },
  { id: "compatibility", ask: [/\buniversal\b|\b(?:induction|gas|ceramic|electric) (?:hobs?|stoves?|cooktops?|rings?|burners?)\b|\bright (?:one|filter|tips?|part|size|model) for\b|\bis (?:this|it) for (?:the|my) [a-z]*\d|\bgo(?:es)? with (?:the|my) \w*\d\b/, /(?<!左右手|男女|双手)通用|装得上|装不上|能装上|套得上|对应(?:哪|什么|啥)/, /\bfit(?:s)?\b(?! in)|\bcompatible\b|\bwork (?:with|in|on)\b|\bworks (?:with|in|on)\b|\buse (?:it )?(?:with|in|on)\b|\bwhich (?:model|one)\b/, /适用|适配|兼容|能用在|能用吗|可以用吗|配得上|匹配|哪个型号|买哪个|用什么/], names: /compatib|fits|heat sources?|适用|适配|炉具/i },
  { id: "care", ask: [/\blook after\b|\bmaintain\w*\b|\bmaintenance\b|\biron(?:ing)? (?:it|them)\b|\bironing\b/, /打理|维护|烘干|晾晒|能晒|暴晒|熨|(?:会|容易)生锈|防锈|脏了(?:怎么|咋)|污渍|去渍/, /\bwash(?:ing|able|er)?\b|\bclean(?:ing)?\b|\bcare\b|\bmachine\b|\bdishwasher\b|\bdry(?:er)?\b/, /洗|清洁|保养|护理|擦/], names: /care|wash|clean|dishwasher|洗涤|清洁|洗碗机|保养/i },
  { id: "coating", ask: [/\b(?:food|eggs?|rice|things) (?:stick|sticks|sticking)\b|\bstick to (?:it|the (?:pan|pot|bottom))\b|\bmetal (?:utensils?|spatulas?|spoons?|tools)\b|\b(?:flake|flaking|peel|peeling|chip off)\b|\bforever chemicals\b/, /掉皮|起皮|脱落/, /\bcoat(?:ed|ing|ings)?\b|\bnon-?stick\b|\bteflon\b|\bptfe\b|\bpfas\b|\bpfoa\b/, /涂层|不粘|特氟龙/], names: /coating|non-stick|涂层|不粘/i },
  { id: "leak", ask: [/\bupside[- ]down\b|\bon its side\b|\bair-?tight\b|\bwater-?tight\b|\bseal(?:s|ed)? (?:tight|well|properly)\b|\bdribbl\w*\b|\bseep\w*\b/, /倒过来|倒放|倒着放|横放|侧放|渗|洒(?!水车)|溢出/, /\bleak\w*\b|\bspill\w*\b/, /漏|洒出/], names: /leak|seal|防漏|密封/i },
  { id: "dishwasher", ask: [/\bdish ?washable\b|\bdishwasher[- ]proof\b|\btop rack\b|\bupper rack\b/, /\bdishwasher\b/, /洗碗机/], names: /dishwasher|洗碗机/i },
  { id: "oven", ask: [/\boven(?:proof|able)\b|\bunder the grill\b|\bbroil(?:er|ing)?\b/, /焗炉|烤炉|放进去烤|进去烤|整锅烤/, /\boven\b/, /烤箱|进烤/], names: /oven|烤箱/i },
  { id: "battery", ask: [/\brechargeable\b|\blithium\b|\bli-?ion\b|\bnimh\b/, /电量(?:多大|多少|大吗|大不大)|锂电|几节|几颗电/, /\bbatter(?:y|ies)\b|\bmah\b|\bwatt[- ]?hours?\b|\bwh\b/, /电池|毫安|瓦时/], names: /battery|电池/i, units: ["charge", "energy"] },
  { id: "runtime", ask: [/\bhow long (?:till|until|before) (?:it'?s|it is|it goes|it gets|it dies|it needs)\b|\bhours? of (?:use|playback|music|listening|light|play|battery|runtime)\b|\b(?:go|work|run|keep going) all (?:day|night)\b|\ball[- ]day\b|\bhow long can (?:i|you|we) (?:use|run|listen|play|leave)\b|\b(?:a|one) (?:full )?charge (?:get|gets|give|gives)\b/, /(?:亮|听|吸|吹|转|跑|照)(?:多久|多长时间|几个?小时)|用(?:几|多少)个?小时|用(?:几|多少)天|几天一充|一天一充|多久一充/, /\bhow long (?:does|will|can|do) (?:it|the battery|they|the batteries)\b(?! (?:keep|take))|\blast\b(?! (?:year|month|week|time|night|one|model|version|gen(?:eration)?)\b)|\bruntime\b|\bbattery life\b|\bplay(?:time)?\b|\bon a (?:full )?(?:charge|tank)\b|\brun(?:s)? for\b|\bhow long does it (?:run|play)\b|\bhow long (?:till|until|before) (?:the |its )?batter(?:y|ies)\b|\bbatter(?:y|ies)(?:'s| is| are)? (?:dead|flat|empty|dies?|runs? out)\b/, /续航|能用多久|用多久|能撑几|撑几个|待机|充一次|能开多久|能放多久|能播多久|多久没电|多长时间没电/, /\b(?:(?:last|lasts|run|runs|play|plays|go|goes)\b[^?.!]{0,20})?\bon (?:a|one|1|each|every|a single) (?:full |single )?(?:charge|tank)\b|\bper charge\b/], names: /runtime|run time|battery life|续航/i, units: ["time"] },
  { id: "charging", ask: [/\bchargers?\b|\bjuice (?:it |them )?up\b|\bpower (?:it )?up\b|\bfill (?:up )?the battery\b/, /充(?:好|完|饱)|怎么充(?!值)|咋充(?!值)|用啥充|边充边/, /\bcharg(?:e|es|ing)\b(?! for\b)|\brecharge\b|\bto charge\b|\bfull charge\b|\bwireless pad\b/, /充电(?![器宝头线])|充满|充多久|多久能充|快充/], names: /charging|charge|input|protocols?|充电|输入|快充/i },
  // Charging another device from the product (a power bank's output, a lamp's wireless pad), not charging the product.
  {
    id: "charges-devices",
    ask: [/\bhow many (?:full )?(?:charges|recharges|top-?ups)\b|\breverse charg\w*\b|\bplug (?:my|a|your) (?:\w+ ){0,2}(?:phones?|laptops?|tablets?|ipads?|iphones?|earbuds|headphones) in(?:to)?\b|\b(?:as|like) a power ?bank\b/, /充(?:几|多少)次|充满几次|充几回|反向充电?|对外充电?|对外供电|反充|带(?:得)?动(?:笔记本|电脑|macbook|平板)|放(?:上面|上去)(?:就)?(?:能)?充/, /\b(?:charge|top up|power) (?:my|your|a|an|the|other|another) (?:\w+ ){0,2}(?:phones?|laptops?|tablets?|devices?|ipads?|iphones?|macbooks?|switch)\b/, /给(?:手机|电脑|笔记本|平板|设备|耳机)充电|充手机|当充电宝|(?:[两三四几多\d]+(?:台|个|部)(?:设备|手机)?)?(?:一起|同时)充/, /\bcharge (?:two|three|four|2|3|4|multiple|several) (?:\w+ )?(?:at once|at the same time|together)\b/],
    names: /output|wireless charging|power bank|输出|无线充电|充电宝/i,
  },
  { id: "noise", ask: [/\bwake (?:up )?(?:the |my |our )?(?:baby|kids?|neighbou?rs?|partner|wife|husband|everyone|household)\b|\b(?:hum|humming|whine|whining|buzz|buzzing|rattle|rattling)\b|\bsilent\b|\bsilently\b|\bjet engine\b|\bracket\b/, /动静(?:大|小|多大)|声音(?:有)?多大|声音(?:会)?很大/, /\bnois[ey]\b|\bloud\b|\bquiet\b|\bdb\b|\bdecibels?\b|\bsound level\b/, /噪音|噪声|声音大|声音小|吵|安静|分贝|静音/], names: /noise|噪音|噪声/i, units: ["sound"] },
  { id: "noise-cancelling", ask: [/\bnoise[- ]cancel(?:l)?ation\b|\bblock(?:s)? out\b|\bdrown(?:s)? out\b|\b(?:noise |sound |passive )?isolat\w*\b/, /隔音|外面的声音|外界(?:的)?声音|周围(?:的)?声音|听(?:不|得)?(?:到|见)外面/, /\bnoise[- ]cancel(?:l)?ing\b|\banc\b/, /降噪/], names: /noise (?:control|cancel)|降噪/i },
  { id: "water", ask: [/\bip rating\b|\bip ?code\b|\bget(?:s|ting)? wet\b|\bsubmer\w*\b|\bunder ?water\b|\bdunk\w*\b|\bhydrostatic\b|\bhh\b/, /碰水|沾水|遇水|泡水|防雨|淋湿|ip(?:等级|多少|几)|洗澡|冲澡|潜水|水下|下雪|雪天|雪地/, /\bwater ?proof\b|\bwater[- ]resistant\b|\brain\b|\bsplash\b|\bsweat(?:proof)?\b|\bpool\b|\bshower\b|\bswim\w*\b|\bip\s?\d{2}|\bipx\d\b|\bdownpours?\b|\bdrizzle\b|\bwet weather\b|\bkeep (?:me|you|it|them|things|stuff) dry\b/, /防水|淋雨|下雨|暴雨|大雨|雨天|雨水|防泼|进水|防汗|出汗|流汗|汗水|游泳/], names: /water|hydrostatic|ip\d|防水/i },
  { id: "launch", ask: [/\bwhat year\b|\bwhich year\b|\bmodel year\b|\bcurrent (?:model|version|gen\w*)\b|\blatest gen\w*\b|\blast year'?s\b|\bthis year'?s (?:model|version)\b|\bhow new\b/, /哪一?年的|啥时候(?:出(?!货|发|库)|上市|发布|开卖|推出|上架)|最新的|最新版|第几代|哪一代|几代|老款|旧款/, /\bwhen (?:was|did|were) (?:it|this|these|they|the)(?: [\w-]+){0,2} (?:come out|launch|release|go on sale|first (?:sold|available))|\breleased?\b|\blaunch(?:ed)?\b|\bnew model\b|\bnew one\b|\bnewest\b|\b(?:just )?c[ao]me out\b|\brecently added\b|\bin the shop long\b|\blatest (?:model|version|one)\b|\bold stock\b|\bnew listing\b|\bbeen (?:selling|stocking)\b|\bhow long (?:have|has) (?:you|u|it|this|they|these) been (?:on sale|sold|around|out|available)\b|\bfirst (?:go|went|goes) on sale\b|\bwhen did (?:you|u) (?:start|begin) (?:selling|stocking)\b/, /上市|发布|什么时候出|哪一?年(?:开始)?(?:出|卖|推出|上架)|什么时候(?:开始卖|推出|上架)|开始卖的|哪个月出|什么时候上的|几月上的|开卖|开售|新款|新品|最新款|今年出的|今年的款/], names: /launch|上市/i, kinds: ["launchDate"] },
  { id: "power", ask: [/\bbreakers?\b|\bfuse\b|\bamps?\b|\bamperage\b|\bkw\b|\bkilowatts?\b|\bhz\b|\bhertz\b|\badapt(?:e|o)rs?\b/, /几瓦(?!时)|千瓦|(?:多少|几)\s*w\b|出国(?:能|可以)?用|带出国|国外(?:能|可以)?用|(?:美国|日本|欧洲|香港)(?:能|可以)用|[两二三]脚|[两二三]孔|[两二三]插|火力/, /\bwatts?\b(?![- ]?hours?)|\bwattage\b|\bpower(?:ful)?\b(?! bank)|\bvolts?\b|\bvoltage\b|\b\d+ ?v\b|\bplug\b|\boutput\b|\belectricity\b|\benergy (?:use|usage|consumption|bill)\b|\brunning costs?\b/, /功率|瓦数|多少瓦(?!时)|电压|插头|输出|费电|耗电|电费|省电|用电量|几度电/], names: /power|output|watt|input|功率|输出|插头|输入/i, units: ["power", "voltage"] },
  // How a charger's or power bank's output is split between devices charging at once.
  {
    id: "power-sharing",
    ask: [/\bper port\b|\bsingle[- ]port\b|\bone port\b|\bboth (?:ports|devices|sockets)\b|\b(?:all|two|three) ports\b|\b(?:two|2|three|3) (?:things |devices )?plugged in\b/, /(?:[两三四\d]个?口|多口)(?:一起|同时)|降(?:速|功率)|单口|多口/, /\beach (?:one |port |device |of them )?gets?\b|\bhow much (?:does|do|will|would) each\b|\bsplit (?:between|across|among)\b|\bhow (?:is|does) (?:it|the (?:power|output)) split\b|\bpower sharing\b|\bshared? between\b/, /各分|各给|各(?:能)?分到|分到多少|分配|分多少|每个口分|(?:一起|同时)(?:充|插)[^，。？！,.?!]{0,8}(?:多少瓦|几瓦|功率)/],
    names: /power sharing|split|分配/i,
  },
  { id: "temperature", ask: [/\b(?:celsius|fahrenheit)\b|°\s?[cf]\b|\bheat[- ]?(?:resistant|resistance|proof)\b|\bmax(?:imum)? heat\b|\bstay(?:s)? (?:hot|warm|cold|cool|iced|chilled)\b|\bboiling\b|\bhow cold\b/, /耐温|耐高温|耐热|耐冷|(?:最高|最低|能到|能烧到|加热到)\s*(?:几|多少|\d+)\s*度(?!电)|(?:冰|凉|热|冷)(?:多久|几个小时|多长时间)/, /\btemperatures?\b|\btemps?\b|\bdegrees?\b|\bhow hot\b|\bhold (?:it|them|the \w+) (?:there|at (?:that|the|this) (?:temp\w*|heat))\b|\bkeep(?:s)? (?:it |drinks |coffee |water )?(?:hot|warm|cold)\b|\bkeep warm\b/, /温度|多少度|控温|水温|保温|保冷|多热/], names: /temperature|keep warm|insulation|温度|控温|保温|耐温/i, units: ["temperature"] },
  { id: "settings", ask: [/\bspeeds\b|\bhow many speeds?\b|\bhow (?:fine|coarse)\b|\bwhat (?:can|does) it (?:cook|make|do)\b|\bmenus?\b|\badjustab\w*\b|\bintensit(?:y|ies)\b/, /挡位|几挡|[一二三四五六七八九十\d]挡|最[高低大小]挡|风速|几级风|调速|(?:能|可以|可)调|调节|(?:能|可以)(?:做|煮|烤|炸)(?:什么|啥|哪些)|研磨度|研磨粗细|磨多细|磨多粗/, /\bsettings?\b|\bmodes?\b|\blevels?\b|\bsteps?\b|\bpresets?\b|\bprogram(?:me)?s?\b|\bfunctions?\b/, /档位|几档|档|模式|预设|菜单|功能/], names: /setting|mode|preset|programme|program|function|档位|模式|菜单|功能/i },
  { id: "room", ask: [/\bsq\.? ?(?:ft|feet|m)\b|\bsquare (?:feet|foot)\b|\bhow big (?:a|of a) (?:space|area|flat|apartment|house|office)\b|\b(?:whole|entire) (?:flat|apartment|house|home|floor|office)\b|\bopen[- ]plan\b|\bstudio\b|\bcoverage\b/, /(?:几|多少)(?:个)?平(?![底时常安板衡])|多大(?:的)?(?:屋|房子|空间|地方)|适用多大|适合多大(?:的)?(?:屋|房|面积|空间)|[一二两三四\d](?:居|室)|全屋|整屋|整个家|覆盖/, /\broom\b|\bsquare met(?:er|re)s?\b|\bm2\b|\bm²\b|\bbedroom\b|(?<!\b(?:duvet|pillow|seat|cushion|sofa|rain|dust|protective|removable|knitted) )\bcover\b(?<!\bwhat (?:does|will|would) (?:it|the warranty|that|this) (?:actually |really |even )?cover\b)/, /面积|平米|平方|房间|卧室|客厅|\d\s*(?:个)?平(?![底时常安板衡])/], names: /room|area|面积/i, units: ["area"] },
  { id: "timer", ask: [/\bset (?:it|a time|the time) to (?:start|come on|turn on|switch on|begin)\b|\bstart (?:later|at a set time)\b|\bready (?:when|by the time) (?:i|we) (?:get|come) (?:home|back|up)\b|\bcount ?down\b|\bwake up to\b/, /定个?时|定好时间|倒计时|起(?:床|来)(?:就|就能)?(?:吃|喝)|回(?:家|来)就(?:能)?(?:吃|有|喝)|提前(?:设|定|预)/, /\btimer\b|\bdelay\b|\bschedule\b|\bin the morning\b|\bset it to cook\b|\bset (?:a |the )?time\b[^?.!]{0,20}\b(?:off|stop)\b/, /定时|预约|(?:设置|设定)(?:个|一个|好)?时间[^，。？！,.?!]{0,6}关/], names: /timer|delay|定时|预约/i },
  { id: "cord", ask: [/\breach (?:the|a|my) (?:socket|outlet|plug|power point)\b|\bfrom the (?:socket|outlet|wall)\b|\b(?:power |mains )?lead\b(?!-free)|\bcordless\b|\bcorded\b/, /线(?:有)?多长|线够(?:不够)?长|线(?:太)?短|插座|电线|有线还是无线|无线还是有线/, /\bcable\b|\bcord\b/, /电源线|线长|线有多长/], names: /cord|cable|电源线|线长/i },
  { id: "bluetooth", ask: [/\bpair(?:ing|ed)? (?:it )?(?:with|to)\b|\bconnect (?:it )?(?:to|with) (?:my|a|an|the) \w+|\blatency\b|\blag\b|\bapt-?x\b|\bhi-?res\b|\b(?:wireless|bluetooth|connection|signal) range\b|\bhow far (?:away )?from (?:my|the) (?:phone|laptop|device)\b/, /(?:声音|音画|有)?延迟(?!发货|发|到)|连(?:多远|接距离)|传输距离|多远(?:能|还能)?连/, /\bbluetooth\b|\bconnect (?:to )?(?:two|2|both)\b|\bat the same time\b|\bmultipoint\b|\bcodecs?\b|\bldac\b|\baac\b/, /蓝牙|双设备|同时连接|编码|ldac/], names: /bluetooth|codec|蓝牙|编码/i },
  { id: "flicker", ask: [/\bpwm\b|\bstrob\w*\b|\bbanding\b|\beye ?strain\b|\b(?:hurt|tire|strain) (?:my|your|the) eyes\b|\beasy on (?:the|my) eyes\b/, /闪不闪|闪眼|拍(?:照|视频|出来)[^，。？！]{0,3}(?:条纹|波纹)|水波纹|伤眼|护眼|费眼|眼睛(?:累|疼|酸)/, /\bflicker\w*\b/, /频闪|闪烁|闪吗|会闪/], names: /flicker|频闪/i },
  { id: "light", ask: [/\bhow much light\b|\blight output\b|\b(?:warm|cool|cold|daylight|natural) (?:white|light)\b|\blux\b|\bkelvin\b|\benough to read\b|\bread(?:ing)? (?:by|under) it\b/, /够亮|(?<![漂明发闪])亮(?:吗|么)|暖光|白光|冷光|黄光|暖白|自然光|调光|调亮|调暗|照(?:多|得)远|照射(?:距离|范围)|照明范围/, /\bbright(?:ness|est)?\b|\blumens?\b|\blight (?:modes?|colou?r)\b|\bcolou?r temperature\b/, /亮度|多亮|最亮|亮不亮|流明|色温|灯光/], names: /bright|light|illuminance|colour temperature|亮度|灯光|照度|色温/i, units: ["light"] },
  // Which hand it suits: a knife's edge, scissors, a mouse ("左撇子能用吗" → "左右手通用").
  { id: "handedness", ask: [/\bambidextrous\b|\bsouthpaw\b/, /右手|左利手/, /\bleft[- ]?hand(?:ed|ers?)?\b|\blefties?\b|\blefty\b|\beither hand\b/, /左撇子|左手|左右手/], names: /left and right hands?|either hand|左右手/i },
  // How it feels on the skin ("is it scratchy", "扎不扎人"): a material's fibre answers it.
  { id: "texture", ask: [/\bagainst (?:the|my) skin\b|\bhow does (?:it|the \w+) feel\b|\bfeel on (?:the|my) skin\b|\brough\b|\bscratch(?:es|y) (?:my|the) skin\b|\bsensitive skin\b|\birritat\w*\b/, /亲肤|磨(?:皮肤|脚|脖子)|粗糙|扎(?:吗|么|嘛)|痒(?:吗|么|嘛)/, /\bitch(?:y|iness|es)?\b|\bscratchy\b|\bprickly\b/, /扎人|扎不扎|扎皮肤|刺痒|发痒|痒不痒|会痒|手感/], names: /material|fabric|micron|texture|材质|面料|微米|手感/i },
  { id: "firmness", ask: [/\b(?:squishy|plush|mushy|springy|bouncy)\b/, /硬(?:吗|么|嘛)|软(?:吗|么|嘛)|多硬|多软|回弹|支撑(?:力|性|感)|太硬|太软|软和|软乎/, /\bfirm(?:ness)?\b|\bsoft\b|\bhard\b/, /软硬|硬不硬|软不软|偏硬|偏软/], names: /firmness|软硬/i },
  { id: "returns", ask: [/\bchange(?:d)? (?:of )?(?:my )?mind\b|\bmoney back\b|\bonce (?:it'?s |it is )?opened\b|\b(?:opened|unsealed) (?:the )?(?:pack|bag|box|seal)\b/, /不喜欢(?:能|可以|怎么办)|不合适(?:能|可以|怎么办)|拆封|拆了(?:还)?能|[7七]天(?:无理由|退|换|内(?:能|可以))|支持[7七]天|换货|包退/, /\breturn(?:able|s)?\b|\brefund\b|\bsend (?:it )?back\b/, /退货|退换|能退(?!差价)|可以退(?!差价)|退款|无理由/], names: /returns?|退货/i },
  { id: "fill-weight", ask: [/\bhow much stuffing\b|\bhow (?:many )?grams (?:of|in)\b|\b(?:well|over|under)[- ]?(?:filled|stuffed)\b/, /充了多少(?:绒|克)|填充(?:了)?多少|填了多少|装了多少(?:绒|棉)|绒量|含绒量/, /\bfill weight\b|\bhow much (?:down|filling|fill)\b|\b(?:grams|g) of (?:down|fill|filling|feathers?)\b/, /充绒量|充绒多少|多少克(?:绒|羽绒|鸭绒|鹅绒)|几克(?:绒|羽绒)|(?:绒|羽绒)(?:有)?多少克/], names: /fill weight|充绒|\bg fill\b/i },
  { id: "fill-power", ask: [/\b(?:all|four|4|three|3)[- ]?seasons?\b|\bspring (?:and|or|\/) (?:autumn|fall)\b|\btog\b|\bsleep(?:s)? hot\b|\bhot sleeper\b|\btoo hot\b|\bbelow (?:zero|freezing)\b|\bsub-?zero\b|\bfreezing\b/, /暖不暖|暖吗|够暖|(?:盖|穿)(?:着)?热不热|春秋|四季|秋冬|春夏|(?:盖|穿)着(?:会)?(?:热|冷|暖|闷)/, /\bfill power\b|\bloft\b|\bhow warm\b|\bwarm enough\b|\bwarmth\b|\bwinter\b|\bsummer\b/, /蓬松度|保暖|暖和|冬天|夏天/], names: /fill power|warmth|season|蓬松度|保暖|适用季节|填充/i },
  { id: "certification", ask: [/\b(?:fda|lfgb|ccc|fcc|rohs|ce mark)\b|\b(?:in|as) (?:my |a |the )?carry[- ]?on\b|\bcarry[- ]?on (?:bag|luggage|case)\b|\bhand luggage\b|\bcabin bag\b|\bchecked (?:bag|luggage)\b|\btest (?:report|results)\b|\blab[- ]tested\b/, /3c|ccc|高铁|托运|随身(?:带|携带)|检测报告|质检|合格证|a类|母婴级|婴儿级/, /\bcertif\w*\b|\boeko\b|\bsafe for (?:kids|babies)\b|\bplane\b|\bflight\b|\bfly\b|\bairline\b/, /认证|飞机|航班|登机/], names: /certification|认证/i },
  { id: "safety", ask: [/\bauto(?:matic)?[- ]?off\b|\bswitch(?:es)? (?:itself )?off\b|\btip(?:s|ped)? over\b|\bknock(?:ed)? over\b|\bfalls? over\b|\bchild[- ]?(?:lock|proof)\b|\bunattended\b|\bleave (?:it )?(?:on|running|plugged in|charging) (?:overnight|all night)\b|\bcatch(?:es|ing)? fire\b|\bfire hazard\b|\bshort[- ]circuit\b/, /童锁|倾倒|碰倒|翻倒|打翻|漏电|短路|过充|过载|着火|起火|自燃|爆炸/, /\bboils? dry\b|\bboil-dry\b|\boverheat\w*\b|\bshut[- ]?off\b|\bsafety\b|\bturn(?:s)? (?:itself )?off\b/, /烧干|干烧|过热|断电|自动关|安全/], names: /safety|protection|安全|保护/i },
  { id: "suction", ask: [/\b(?:k?pa|pascals?)\b|\bpick(?:s)? up (?:pet hair|dog hair|cat hair|hair|crumbs|dust|sand|litter)\b|\bpet hair\b|\bsuck(?:s)? up\b/, /吸得(?:干净|动|起)|吸不(?:干净|动|起)|能吸(?:起|动)|(?:猫|狗|宠物)毛|(?:多少|几)\s*(?:k?pa|帕)/, /\bsuction\b|\bpowerful\b/, /吸力/], names: /suction|吸力/i },
  { id: "ports", ask: [/\btype[- ]?c\b|\blightning\b|\bhow many (?:things|devices|gadgets) can (?:i|you) (?:plug|connect)\b/, /插孔|耳机孔|几个孔|能插几|插几个/, /\bports?\b|\busb\b/, /接口|几个口|口/], names: /ports?|接口/i },
  // Kinds of fact drafted with the phrasings above, from catalog attributes no other kind names.
  { id: "microwave", ask: [/\bmicrowav\w*\b|\breheat\w*\b/, /叮(?:一下|热)/], names: /microwave|微波/i },
  { id: "filter", ask: [/\bhepa\b|\bactivated carbon\b|\bcarbon filter\b|\bwhat (?:kind of |type of )?filt(?:er|ers|ration)\b|\bfiltration\b|\bhow many (?:stages|layers)\b/, /滤芯(?:是什么|啥样|什么样|几层)/], names: /filt(?:er|ration)|layers|滤芯|滤网|过滤|滤层/i },
  { id: "cadr", ask: [/\bcadr\b|\bclean air delivery\b|\bair changes\b|\bhow (?:fast|quickly) (?:does|can|will) it (?:clean|purify|clear|filter)\b/, /cadr|洁净空气量|净化(?:效率|速度|能力|效果)|(?:除|去)甲醛|甲醛(?:能|效果)|多久(?:能)?净化/], names: /cadr|洁净空气量/i },
  { id: "cri", ask: [/\bcri\b|\bcolou?r rendering\b|\bcolou?r accura\w*\b|\btrue colou?rs?\b|\bcolou?rs? (?:look )?(?:true|accurate|natural)\b/, /显色|ra值|(?:颜色|色彩)还原/], names: /colou?r rendering|\bcri\b|显色/i },
  { id: "fit", ask: [/\bruns? (?:small|large|big|true|narrow|wide|short|long)\b|\b(?:slim|regular|relaxed|loose|tight|boxy) fit\b|\boversized?\b|\bbaggy\b|\bunisex\b|\bmen'?s or women'?s\b|\blayer (?:a |an )?(?:\w+ )?(?:under|underneath)\b|\bwear (?:a |an )?(?:\w+ )?underneath\b/, /偏大|偏小|正码|标准码|修身|宽松|版型|男女同款|男女通用|里面(?:能|可以)?穿|内搭/], names: /^fit$|版型/i },
  { id: "wear-style", ask: [/\b(?:over|on|in)[- ]ear\b|\b(?:open|closed)[- ]back\b|\bclamp\w*\b/, /头戴|入耳|包耳|压耳|夹头|怎么戴/], names: /^type$|佩戴/i },
  { id: "pack", ask: [/\bpack(?:s|ed)? (?:down|away|into|small)\b|\bstuff sack\b|\bfold(?:s|able)? (?:up|down|away|flat)\b|\bfoldable\b|\bcollaps(?:ible|es)\b/, /收起来|收纳|折起来|折叠/], names: /packs? into|packed size|收纳/i },
  { id: "mounting", ask: [/\battach(?:es)? to the wall\b|\b(?:fix|hang) (?:it )?(?:on|to) (?:the|a) wall\b/, /打孔|打洞|免打孔|上墙|挂墙|怎么(?:安)?装|安装方式|膨胀螺丝/], names: /mount|install|安装/i },
  { id: "reach", ask: [/\breach\b(?! the (?:socket|outlet))|\bswivel\w*\b|\brotat\w*\b|\btilt\w*\b/, /灯臂|灯头|能转(?!账)|旋转|转动|调角度|角度(?:能|可以)?调/], names: /reach|rotat|灯臂|旋转/i },
  { id: "removable", ask: [/\bremovable\b|\bdetachable\b|\bzip(?:s)? off\b|\bcan (?:i|you) (?:take|get) (?:the \w+ )?off\b/], names: /removable|detachable|可拆/i },
  { id: "grip", ask: [/\bslipp(?:ery|y)\b|\bnon-?slip\b|\bslide around\b|\bgrip (?:on|the)\b/, /防滑|打滑|滑不滑|会滑|抓地/], names: /non-?slip|anti-?slip|防滑/i },
  { id: "lid", ask: [/\bone[- ]hand(?:ed)?\b/], names: /\blids?\b|\bcap\b|杯盖|盒盖/i },
  { id: "opening", ask: [/\bice cubes?\b|\b(?:wide )?mouth\b|\bopening\b(?! hours| times)/, /杯口|口径|冰块(?:能|放得|塞得)/], names: /mouth|opening|杯口|口径/i },
  { id: "closure", ask: [/\bshift(?:s|ing)? (?:around )?inside\b|\bslide (?:around )?inside\b/, /拉链|扣子|系带|角扣|绑带|按扣|跑被|滑被/], names: /closure|corner ties|zip|开口方式|系带|角扣|拉链/i },
  { id: "handle", ask: [/\bthe handles?\b|\bcomfortable to hold\b|\bfull tang\b/], names: /handle|tang|刀柄|手柄|把手/i },
  { id: "edge", ask: [/\bsharp(?:ness)?\b|\bedge angle\b|\bwhat angle\b|\bsharpen\w*\b/, /锋利|开刃|刃口|磨刀/], names: /edge|开刃|sharp/i },
  { id: "heating", ask: [/\bih\b|\binduction heating\b|\bhow does it heat\b|\bheating (?:element|method|plate)\b/, /ih|电磁加热|底盘加热|立体加热|加热方式|怎么加热/], names: /heating|加热/i },
  { id: "burrs", ask: [/刀盘|锥刀|平刀|磨盘|磨芯/], names: /burrs?|刀盘/i },
  { id: "drivers", ask: [/\bdrivers?\b|\bbalanced armature\b|\bdynamic driver\b/, /单元|动圈|动铁|喇叭(?:多大|尺寸)/], names: /drivers?|发声单元|动圈/i },
  { id: "stereo", ask: [/\bstereo\b|\bparty mode\b|\b(?:pair|link) (?:two|2|multiple)\b/], names: /stereo|立体声|左右声道/i },
  { id: "display", ask: [/显示(?!签收|已)|屏幕|数显/], names: /display|screen|显示|屏/i },
  { id: "sensor", ask: [/\bsensors?\b|\bair quality\b|\bpm ?2\.5\b|\bdetect\w*\b/, /传感器|感应|检测|pm2\.5|空气质量/], names: /sensor|传感器/i },
  { id: "ingredients", ask: [/\bingredients?\b|\bchemicals?\b/, /成分|配方/], names: /ingredient|成分/i },
  { id: "usage", ask: [/\bhow (?:do|should|would) (?:i|you|we) use\b|\bhow to use\b|\binstructions?\b|\bdosage\b|\bhow many (?:sachets|scoops|doses|tablets) (?:per|each|for|do i)\b/, /怎么用|咋用|如何使用|使用方法|用法|用量|一次用(?:几|多少)/], names: /usage|how to use|instructions?|用法|使用方法|用量/i },
  { id: "construction", ask: [/\bbox[- ]?stitch\w*\b|\bbaffle\w*\b|\bquilt(?:ed|ing)\b|\bclump\w*\b|\b(?:down|filling|fill) (?:shift|move|clump)\w*\b/, /绗缝|跑绒|(?:绒|棉)(?:会)?跑|结块|织法|针织|梭织/], names: /quilt|stitch|weave|工艺|织法|绗缝/i },
  { id: "surface-finish", ask: [/\boiled\b|\bvarnish\w*\b|\blacquer\w*\b|\bbeeswax\b|\btreated with\b/, /刷漆|上漆|涂漆|上油|上蜡|木蜡油|表面处理/], names: /^finish$|treatment|表面处理/i },
  { id: "features", ask: [/\bwhat'?s special\b|\bselling points?\b|\bstand out\b/, /亮点|卖点|特点|特色|优点/], names: /^features$|细节|特点/i },
];

/** Questions about store policy rather than a product's facts (shipping, payment, orders…). */
export const STORE_TOPICS: RegExp[] = [
  /\b(?:ship(?:ping|ped|s)?|deliver(?:y|ed)?|dispatch|courier|parcel|postage|send (?:it |them |this )?(?:to|abroad|overseas)|track(?:ing)?|payment|pay|alipay|wechat|instal(?:l)?ments?|invoice|fapiao|tax(?:es)?|vat|coupon|discount|price (?:protection|drop|match)|member(?:ship)?|points|gift card|(?<!\b(?:go|goes|went|gone|going|been|first|put) on )sale|refund|return(?:s|ed)?|exchange|(?<!\bnoise[- ])cancel(?:l?ed|l?ing|lation)?|pre-?orders?|warranty claim|claim|repairs?|complain(?:t|ts)?|hotline|customer service|(?:service|opening|business|store) hours|account|log ?in)\b/,
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
