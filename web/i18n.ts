// Every word the pages show, in Chinese and English. Shared by the server-rendered shells (first paint
// in the right language, no flash) and the client scripts (switching without a reload).

export type Lang = "zh" | "en";
export const LANGS: readonly Lang[] = ["zh", "en"];

const strings = {
  // Common
  "app.person": ["健康码", "Health code"],
  "app.venue": ["场所码与扫码核验", "Venue check-in and scanning"],
  "app.authority": ["卫生健康部门管理台", "Health authority console"],
  "lang.switch": ["English", "中文"],
  "lang.switch.label": ["切换到英文", "Switch to Chinese"],
  "large.on": ["大字模式", "Large text"],
  "large.label": ["大字模式（适合老年人）", "Large text mode (easier to read)"],
  "signin.title": ["登录", "Sign in"],
  "signin.intro": ["登录后可申领和出示健康码。", "Sign in to apply for and show your health code."],
  "signin.intro.venue": [
    "场所负责人和工作人员登录后可登记场所、打印场所码、扫码核验。",
    "Venue owners and staff: sign in to register your venue, print its place code and check visitors.",
  ],
  "signin.intro.authority": [
    "仅限卫生健康部门工作人员：登录后可查看统计、划定风险区域、处理申诉。您的账号须具有管理权限，每项操作均留有审计记录。",
    "For health authority staff: sign in to see the statistics, designate risk areas and answer appeals. Your account needs the authority role; every action is audited.",
  ],
  "signin.dev": ["开发环境登录", "Development sign-in"],
  "signin.dev.note": [
    "开发模式：使用内置的开发身份提供方（生产环境不可用）。",
    "Development mode: the built-in development identity provider (never on in production).",
  ],
  "signin.account": ["账号名", "Account name"],
  "signin.button": ["登录", "Sign in"],
  "signin.with": ["使用以下方式登录：", "Sign in with:"],
  "signin.none": [
    "尚未配置身份提供方。请在 wrangler.toml 的 ID_PROVIDERS 中配置（见 web/README.md）。",
    "No identity provider is configured. Configure one in ID_PROVIDERS in wrangler.toml (see web/README.md).",
  ],
  signout: ["退出登录", "Sign out"],
  loading: ["加载中…", "Loading…"],
  "error.network": ["网络不可用，请稍后重试。", "The network is unavailable; try again shortly."],
  "error.generic": ["出错了：", "Something went wrong: "],
  "error.notyet": ["此功能尚未开放。", "This feature is not available yet."],
  "error.signin": ["登录已过期，请重新登录。", "Your sign-in has expired; please sign in again."],
  submit: ["提交", "Submit"],
  close: ["关闭", "Close"],
  none: ["暂无记录", "Nothing yet"],
  copy: ["复制", "Copy"],

  // Colours: always said in words and an icon, never by colour alone
  "color.green": ["绿码", "Green code"],
  "color.yellow": ["黄码", "Yellow code"],
  "color.red": ["红码", "Red code"],
  "entry.pass": ["可以通行", "Pass"],
  "entry.restricted": ["限制通行", "Restricted"],
  "entry.deny": ["禁止进入", "No entry"],
  "entry.invalid": ["码无效", "Code not valid"],

  // Person app
  "nav.code": ["健康码", "My code"],
  "nav.status": ["状态说明", "Status"],
  "nav.records": ["检测与记录", "Records"],
  "nav.checkin": ["场所登记", "Check in"],
  "nav.apply": ["申领", "Apply"],
  "nav.settings": ["设置", "Settings"],
  "family.label": ["为谁出示", "Showing the code of"],
  "family.add": ["为家人申领", "Apply for a relative"],
  "code.refresh": ["刷新", "Refresh"],
  "code.clock": ["当前时间", "Time now"],
  "code.expires": ["秒后自动刷新", "s until the code refreshes"],
  "code.qr.alt": ["健康码二维码", "Health code QR"],
  "code.stale": ["此码已过期，正在刷新…", "This code has expired; refreshing…"],
  "code.changed": ["健康码颜色已变化", "Your code's colour has changed"],
  "status.since": ["自", "Since"],
  "status.review": ["预计复核时间", "Next review"],
  "status.why": ["为什么是这个颜色", "Why this colour"],
  "status.lift": ["如何转为绿码", "What lifts it"],
  "status.history": ["变更记录", "History"],
  "status.nothing": ["没有影响健康码的记录。", "Nothing affects your code."],
  "log.checking": ["已记入公开日志，正在核对…", "Recorded in the public log; checking…"],
  "log.verified": [
    "已记入公开日志（本机已核验签名与证明）",
    "Recorded in the public log (signature and proof checked on this device)",
  ],
  "log.failed": ["公开日志核验失败", "Public log check failed"],
  "records.results": ["核酸与抗体检测结果", "Test results"],
  "records.vaccinations": ["疫苗接种记录", "Vaccinations"],
  "records.checkins": ["场所登记记录", "Check-ins"],
  "presence.location": ["定位确认到场", "present: location"],
  "presence.rotating_code": ["扫屏幕场所码", "present: on-screen code"],
  "presence.staff_scan": ["工作人员扫码", "present: scanned by staff"],
  "presence.unconfirmed": ["未确认到场", "presence not confirmed"],
  "checkin.notMe": ["不是我本人登记，申诉", "Not me: appeal"],
  "checkin.appealText": [
    "我没有到过此场所，此登记不是我本人所为。",
    "I was not at this venue; I did not make this check-in.",
  ],
  "checkin.appealed": ["已提交申诉。", "Appeal filed."],
  "checkin.voided": ["申诉成立，已作废", "voided on appeal"],
  "result.positive": ["阳性", "positive"],
  "result.negative": ["阴性", "negative"],
  "test.nucleic_acid": ["核酸检测", "Nucleic acid test"],
  "test.antibody": ["抗体检测", "Antibody test"],
  dose: ["剂次", "dose"],
  "checkin.title": ["场所登记", "Check in at a place"],
  "checkin.scan": ["扫描场所码", "Scan the place code"],
  "checkin.stopscan": ["停止扫描", "Stop scanning"],
  "checkin.noscan": [
    "此浏览器不支持扫码，请用手机相机扫码或输入场所码。",
    "This browser cannot scan codes: use the phone camera, or type the place code.",
  ],
  "checkin.code": ["场所码或链接", "Place code or link"],
  "checkin.who": ["登记人", "Who is checking in"],
  "checkin.button": ["登记", "Check in"],
  "checkin.done": ["已登记", "Checked in at"],
  "checkin.venue": ["您正在登记：", "You are checking in at:"],
  "apply.title": ["申领健康码", "Apply for a health code"],
  "apply.name": ["姓名", "Full name"],
  "apply.idType": ["证件类型", "Document type"],
  "apply.idNumber": ["证件号码", "Document number"],
  "apply.phone": ["手机号", "Phone number"],
  "apply.nationality": [
    "国籍（护照，三位字母代码，如 GBR）",
    "Nationality (passport; 3-letter code such as GBR)",
  ],
  "apply.relationship": ["与本人关系", "Relationship"],
  "apply.button": ["申领", "Apply"],
  "apply.privacy": [
    "证件号码只用于核验身份，不会明文保存，也不会显示给扫码人员。",
    "Your document number is only used to check who you are; it is never stored in clear or shown to scanning staff.",
  ],
  "idType.resident_id": ["居民身份证", "PRC resident identity card"],
  "idType.passport": ["护照", "Passport"],
  "idType.hk_macao_permit": ["港澳居民来往内地通行证", "Hong Kong/Macao permit"],
  "idType.taiwan_permit": ["台湾居民来往大陆通行证", "Taiwan permit"],
  "idType.foreign_permanent_resident": ["外国人永久居留身份证", "Foreign permanent resident card"],
  "rel.self": ["本人", "Myself"],
  "rel.parent": ["父母", "Parent"],
  "rel.child": ["子女", "Child"],
  "rel.spouse": ["配偶", "Spouse"],
  "rel.other": ["其他亲属", "Other relative"],
  "notify.title": ["消息提醒", "Notifications"],
  "notify.button": ["开启颜色变化提醒", "Notify me when a colour changes"],
  "notify.on": ["已开启提醒。", "Notifications are on."],
  "notify.unsupported": ["此浏览器不支持消息提醒。", "This browser cannot receive notifications."],
  "notify.denied": ["未获得通知权限。", "Notification permission was not given."],
  "notify.timeout": [
    "暂时无法连接推送服务（可能离线），页面打开时仍会自动更新。",
    "The push service cannot be reached (perhaps offline); the open page still updates by itself.",
  ],
  "settings.title": ["设置", "Settings"],
  "nav.managers": ["管理人", "Managers"],
  "managers.title": ["谁可以管理我的健康码", "Who manages my code"],
  "managers.intro": [
    "家人申请管理您的健康码时，须经您批准。批准后，对方可查看健康码、状态、检测和接种记录；成年人的场所登记记录只有本人可见。您可随时移除。",
    "A relative who asks to manage your code needs your approval. Once approved they see your code, status, test results and vaccinations; where an adult has been stays theirs alone. You can remove anyone at any time.",
  ],
  "managers.pending": ["待您批准的申请", "Requests waiting for you"],
  "managers.active": ["管理人", "Managers"],
  "managers.approve": ["批准", "Approve"],
  "managers.deny": ["拒绝", "Deny"],
  "managers.remove": ["移除", "Remove"],
  "managers.you": ["（本账户）", "(this account)"],
  "managers.verified": ["实名验证", "verified real name"],
  "managers.displaced": ["曾未经实名验证自称本人", "claimed to be you without a verified real name"],
  "managers.expires": ["有效至", "expires"],
  "managers.notself": [
    "只有本人的账户可以管理谁能查看此健康码。",
    "Only the person's own account manages who sees this code.",
  ],
  "managers.request": [
    "有人申请管理您的健康码，请查看“管理人”。",
    "Someone asks to manage your code: see Managers.",
  ],
  "apply.pending": [
    "此人已有自己的账户：申请已发送，须经本人批准后才能查看。",
    "This person has their own account: your request was sent, and you will see nothing until they approve it.",
  ],

  // Venue app
  "venue.nav.scan": ["扫码核验", "Scanner"],
  "venue.nav.venues": ["我的场所", "My venues"],
  "venue.nav.register": ["登记新场所", "Register a venue"],
  "venue.nav.lookup": ["证件查询", "ID look-up"],
  "venue.nav.manual": ["无码通道", "No-code lane"],
  "venue.name": ["场所名称", "Venue name"],
  "venue.category": ["场所类型", "Category"],
  "venue.address": ["地址", "Address"],
  "venue.district": ["行政区划代码（6位）", "District code (6 digits)"],
  "venue.lat": ["纬度（可选）", "Latitude (optional)"],
  "venue.lon": ["经度（可选）", "Longitude (optional)"],
  "venue.register": ["登记场所", "Register venue"],
  "venue.registered": [
    "场所已登记。设备密钥只显示一次，已保存到本设备。",
    "Venue registered. The device key is shown once and has been saved on this device.",
  ],
  "venue.poster": ["场所码海报", "Place-code poster"],
  "venue.poster.download": ["下载海报", "Download poster"],
  "venue.poster.print": ["打印海报", "Print poster"],
  "venue.screen": ["屏幕场所码（自动轮换）", "On-screen place code (rotating)"],
  "venue.screen.show": ["显示屏幕场所码", "Show on-screen place code"],
  "venue.keys": ["设备密钥", "Device keys"],
  "venue.keys.issue": ["新建设备密钥", "Issue a device key"],
  "venue.keys.revoke": ["吊销", "Revoke"],
  "venue.keys.label": ["设备名称", "Device label"],
  "venue.keys.use": ["本设备使用的密钥", "Device key used by this device"],
  "venue.keys.save": ["保存到本设备", "Save on this device"],
  "venue.keys.none": ["本设备尚未设置设备密钥。", "No device key is set on this device."],
  "venue.keys.set": ["本设备已设置设备密钥。", "A device key is set on this device."],
  "venue.keys.shown": ["新密钥（只显示一次）：", "New key (shown once):"],
  "venue.use": ["用于扫码", "Use for scanning"],
  "venue.none": ["尚无场所。", "No venues yet."],
  "scan.camera": ["打开摄像头扫码", "Scan with the camera"],
  "scan.code": ["手动输入或粘贴健康码", "Type or paste a health code"],
  "scan.check": ["核验", "Check"],
  "scan.offline": ["离线核验", "Offline checks"],
  "scan.offline.off": [
    "离线核验尚不可用（服务端尚未提供核验包 /v1/verifier-bundle）。",
    "Offline checks are not available yet (the service does not offer /v1/verifier-bundle).",
  ],
  "scan.offline.ready": [
    "离线核验包已就绪，断网时自动使用。",
    "Offline bundle ready: used automatically when the network is down.",
  ],
  "scan.offline.used": ["（离线核验）", "(checked offline)"],
  "scan.stale": [
    "此码颜色已变化，以当前颜色为准。",
    "The colour changed since this code was issued: the current colour applies.",
  ],
  "scan.reason": ["原因：", "Reason: "],
  "lookup.title": ["工作人员证件查询", "Staff look-up by identity document"],
  "lookup.note": [
    "用于无手机人员，每次查询都会记录。",
    "For people without a phone; every look-up is recorded.",
  ],
  "lookup.button": ["查询", "Look up"],
  "manual.title": ["无码通道登记", "No-code lane"],
  "manual.button": ["登记", "Record entry"],
  "manual.done": ["已登记：", "Recorded: "],

  // Authority console
  "auth.nav.stats": ["统计", "Statistics"],
  "auth.nav.risk": ["风险区域", "Risk areas"],
  "auth.nav.events": ["人员事件", "Person events"],
  "auth.nav.labs": ["检测机构", "Labs"],
  "auth.nav.rules": ["规则版本", "Rule sets"],
  "auth.nav.appeals": ["申诉", "Appeals"],
  "auth.nav.imports": ["批量导入", "Imports"],
  "auth.nav.venues": ["场所审核", "Venues"],
  "venues.unverified": ["待审核场所（最早登记的在前）", "Venues waiting for verification (oldest first)"],
  "venues.verify": ["审核通过", "Verify"],
  "venues.verified": ["已审核通过：", "Verified: "],
  "venues.creditCode": ["统一社会信用代码", "Unified social credit code"],
  "venues.noCreditCode": ["未填写统一社会信用代码", "No unified social credit code given"],
  "venues.note": [
    "未审核的场所可以接受扫码登记，但不能进行证件查询或带身份信息的人工登记，按行政区划划定的风险区域也不覆盖它们。",
    "Unverified venues take check-ins, but cannot look people up or record manual entries with an identity, and district designations do not cover them.",
  ],
  "stats.total": ["登记人数", "Registered persons"],
  "stats.byDistrict": ["按行政区划", "By district"],
  "stats.overTime": ["随时间变化", "Over time"],
  "stats.series": [
    "（近30天每天结束时各颜色人数，北京时间）",
    "(persons by colour at the end of each of the last 30 days, Beijing time)",
  ],
  "stats.noSeries": ["（服务器未提供按日数据）", "(the server sent no daily figures)"],
  "stats.refresh": ["刷新", "Refresh"],
  "risk.level": ["风险等级", "Level"],
  "risk.high": ["高风险", "High"],
  "risk.medium": ["中风险", "Medium"],
  "risk.district": ["行政区划代码", "District code"],
  "risk.venues": ["场所编号（逗号分隔）", "Venue ids (comma-separated)"],
  "risk.from": ["开始时间", "From"],
  "risk.to": ["结束时间", "To"],
  "risk.reason": ["原因（会展示给相关人员）", "Reason (shown to the persons affected)"],
  "risk.dryrun": ["预估影响人数", "Dry run: count affected persons"],
  "risk.affected": ["预计影响人数：", "Persons affected: "],
  "risk.unconfirmed": [
    "其中仅因未确认到场记录（人工登记、超过一分钟的码、无定位的扫码登记）而受影响：",
    "Of them, there only through unconfirmed visits (manual entries, codes older than a minute, check-ins without location): ",
  ],
  "risk.exclude": ["不计入未确认到场的记录", "Leave out unconfirmed visits"],
  "risk.confirm": ["确认划定", "Confirm designation"],
  "risk.done": ["已划定风险区域。", "Risk area designated."],
  "risk.list": ["生效中的风险区域", "Risk areas in force"],
  "event.kind": ["事件类型", "Event"],
  "event.confirmed": ["确诊", "Confirmed case"],
  "event.close_contact": ["密切接触者", "Close contact"],
  "event.secondary_contact": ["次密切接触者", "Secondary contact"],
  "event.released": ["解除管控", "Released"],
  "event.occurredAt": ["发生时间", "Occurred at"],
  "event.button": ["记录事件", "Record event"],
  "event.done": ["已记录，当前颜色：", "Recorded; colour now: "],
  "labs.name": ["机构名称", "Lab name"],
  "labs.create": ["新增检测机构", "Add a lab"],
  "labs.key": ["机构密钥（只显示一次）：", "Lab key (shown once): "],
  "labs.newkey": ["新建密钥", "New key"],
  "rules.active": ["当前生效", "active"],
  "rules.publish": ["发布新版本（JSON）", "Publish a new version (JSON)"],
  // Rule-set previews: what a new version would do, shown before it can be published
  "rules.preview": ["预览影响（不改变任何人的颜色）", "Preview the effect (changes nobody's colour)"],
  "rules.running": ["预览进行中：已评估 {e} / {t} 人", "Preview running: {e} of {t} persons evaluated"],
  "rules.finished": ["预览完成：已评估 {e} / {t} 人", "Preview finished: {e} of {t} persons evaluated"],
  "rules.changed": ["将改变颜色的人数：{n}", "Persons whose colour would change: {n}"],
  "rules.nochange": ["没有人的颜色会改变。", "Nobody's colour would change."],
  "rules.matrix": [
    "颜色变化（行：现在；列：新规则下）",
    "Colour changes (rows: now; columns: under the new set)",
  ],
  "rules.districts": ["按地市", "By prefecture"],
  "rules.noDistrict": ["无行政区划", "No district"],
  "rules.samples": ["样例（最多 20 人）", "Samples (at most 20 persons)"],
  "rules.person": ["人员", "Person"],
  "rules.district": ["地区", "District"],
  "rules.change": ["变化", "Change"],
  "rules.ruleNow": ["现行规则", "Rule now"],
  "rules.ruleNew": ["新规则", "Rule under the new set"],
  "rules.noRule": ["无", "none"],
  "rules.publishButton": ["确认发布（{n} 人将改变颜色）", "Publish ({n} persons change colour)"],
  "rules.published": ["已发布：", "Published: "],
  "appeals.answer": ["回复", "Answer"],
  "appeals.overdue": ["已超时", "overdue"],
  "imports.body": ["每行一人（NDJSON）", "One person a line (NDJSON)"],
  "imports.button": ["导入", "Import"],
  "imports.done": ["已接收 {a}，重复 {d}，拒绝 {r}", "Accepted {a}, duplicates {d}, rejected {r}"],
  "authority.need": ["此账号没有卫生健康部门权限。", "This account does not hold the authority role."],
} as const satisfies Record<string, readonly [string, string]>;

export type Key = keyof typeof strings;

export function t(lang: Lang, key: Key): string {
  return strings[key][lang === "zh" ? 0 : 1];
}

/** `lang` attribute values for the two languages. */
export const HTML_LANG: Record<Lang, string> = { zh: "zh-CN", en: "en" };

/** Picks the language from a remembered choice first, then the browser's preference; Chinese by default. */
export function pickLang(remembered: string | null | undefined, preferred: readonly string[]): Lang {
  if (remembered === "zh" || remembered === "en") return remembered;
  for (const p of preferred) {
    const base = p.trim().toLowerCase().slice(0, 2);
    if (base === "zh") return "zh";
    if (base === "en") return "en";
  }
  return "zh";
}

/** Parses an Accept-Language header into tags, most preferred first. */
export function acceptLanguages(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.find((p) => p.trim().startsWith("q="));
      return { tag: tag.trim(), q: q ? Number(q.trim().slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag && x.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((x) => x.tag);
}

export const COLOR_ICON = { green: "✓", yellow: "!", red: "✕" } as const;
export const COLOR_ENTRY = { green: "pass", yellow: "restricted", red: "deny" } as const;
