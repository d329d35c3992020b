/**
 * The console's words in Simplified Chinese and English. The server chose the language (the
 * `lang` of <html>, from ?lang= or Accept-Language, as on every page of the bridge); the header's
 * links switch it.
 */
export type Lang = 'zh-CN' | 'en';

const M = {
  'nav.tenants': ['租户', 'Tenants'],
  'nav.instances': ['实例', 'Instances'],
  'nav.audit': ['审计记录', 'Audit trail'],
  'nav.syncLog': ['同步日志', 'Sync log'],
  'nav.clients': ['OpenID 客户端', 'OpenID clients'],
  'nav.keys': ['签名密钥', 'Signing keys'],

  'tenants.title': ['租户', 'Tenants'],
  'tenants.test': ['测试租户（testFlag 1）', 'Test tenants (testFlag 1)'],
  'tenant.title': ['租户 {id}', 'Tenant {id}'],
  'col.tenant': ['租户 ID', 'Tenant ID'],
  'col.name': ['名称', 'Name'],
  'col.code': ['编码', 'Code'],
  'col.domain': ['登录域名', 'Sign-in domain'],
  'col.instance': ['实例', 'Instance'],
  'col.synced': ['已同步', 'Synced'],
  'col.updated': ['更新时间', 'Updated'],
  'col.created': ['创建时间', 'Created'],
  'col.status': ['状态', 'Status'],
  'col.expires': ['到期时间', 'Expires'],
  'col.product': ['产品', 'Product'],
  'col.chargingMode': ['计费模式', 'Charging mode'],
  'col.order': ['订单', 'Order'],
  'col.user': ['账号', 'Account'],
  'col.role': ['角色', 'Role'],
  'col.org': ['部门', 'Department'],
  'col.email': ['电子邮箱', 'E-mail'],
  'col.mayLogin': ['可登录', 'May sign in'],
  'col.protocol': ['登录协议', 'Login protocol'],
  'col.lastSeen': ['最近使用', 'Last seen'],
  'col.idleEnds': ['空闲到期', 'Idle expiry'],
  'col.ends': ['最晚到期', 'Ends at the latest'],
  'col.actions': ['操作', 'Actions'],
  'col.appId': ['appId', 'appId'],
  'col.clientId': ['clientId', 'clientId'],
  'col.secret': ['密钥可解密', 'Secret readable'],
  'col.current': ['本应用', 'This app'],
  'yes': ['是', 'yes'],
  'no': ['否', 'no'],
  'none': ['无', 'none'],
  'all': ['全部', 'all'],
  'empty': ['没有记录', 'Nothing here'],
  'loading': ['正在加载…', 'Loading…'],
  'more': ['加载更多', 'Load more'],
  'error': ['出错了：{message}', 'Something went wrong: {message}'],

  'tenant.facts': ['概况', 'Overview'],
  'tenant.signIn': ['能否登录', 'Can sign in'],
  'tenant.signInYes': ['可以登录', 'can sign in'],
  'tenant.signInNo': ['不能登录：{reasons}', 'cannot sign in: {reasons}'],
  'tenant.credentials': ['应用凭证', 'App credentials'],
  'tenant.subscription': ['订阅与实例', 'Subscription and instances'],
  'tenant.subscriptionState': ['订阅状态', 'Subscription'],
  'tenant.missing': ['尚未收到的实例', 'Instances not received yet'],
  'tenant.users': ['用户', 'Users'],
  'tenant.orgs': ['部门', 'Departments'],
  'tenant.sessions': ['在线会话', 'Active sessions'],
  'tenant.audit': ['审计记录', 'Audit trail'],
  'tenant.syncLog': ['同步日志', 'Sync log'],

  'users.title': ['{tenant} 的用户', 'Users of {tenant}'],
  'orgs.title': ['{tenant} 的部门', 'Departments of {tenant}'],
  'orgs.count': ['共 {count} 个部门', 'Departments: {count}'],
  'orgs.orphan': ['上级部门未知', 'parent unknown'],
  'sessions.title': ['{tenant} 的在线会话', 'Active sessions of {tenant}'],
  'sessions.total': ['共 {count} 个会话', 'Sessions: {count}'],
  'user.title': ['用户 {user}', 'User {user}'],
  'user.sessions': ['{user} 的在线会话', 'Active sessions of {user}'],
  'revoke': ['结束会话', 'Revoke'],
  'revoke.confirm': ['确定结束 {user} 的这个会话吗？', 'Revoke this session of {user}?'],
  'revoke.done': ['会话已结束。', 'Session revoked.'],
  'revokeAll': ['结束该用户的全部会话', 'Revoke all sessions of this user'],
  'revokeAll.confirm': ['确定结束 {user} 的全部会话吗？', 'Revoke every session of {user}?'],
  'revokeAll.done': ['已结束 {count} 个会话。', 'Sessions revoked: {count}.'],

  'instances.title': ['实例', 'Instances'],
  'instances.test': ['测试实例（testFlag 1）', 'Test instances (testFlag 1)'],

  'audit.title': ['审计记录', 'Audit trail'],
  'audit.kind': ['类型', 'Kind'],
  'audit.outcome': ['结果', 'Outcome'],
  'audit.client': ['客户端', 'Client'],
  'audit.sourceIp': ['来源 IP', 'Source IP'],
  'audit.reason': ['原因', 'Reason'],
  'audit.detail': ['详情', 'Detail'],
  'audit.requestId': ['请求编号', 'Request'],
  'filter.from': ['起始时间', 'From'],
  'filter.to': ['截止时间', 'To'],
  'filter.apply': ['筛选', 'Filter'],
  'filter.reset': ['清除', 'Clear'],
  'col.at': ['时间', 'Time'],
  'syncLog.title': ['同步日志', 'Sync log'],
  'syncLog.interface': ['接口', 'Interface'],
  'syncLog.resultCode': ['结果码', 'Result code'],
  'syncLog.message': ['返回信息', 'Message'],
  'syncLog.summary': ['内容', 'Summary'],
  'syncLog.duration': ['耗时', 'Duration'],

  'clients.title': ['OpenID 客户端', 'OpenID clients'],
  'clients.type': ['类型', 'Type'],
  'clients.redirects': ['回调地址', 'Redirect URIs'],
  'clients.grants': ['授权类型', 'Grant types'],
  'clients.tenants': ['允许的租户', 'Allowed tenants'],
  'clients.backchannel': ['后端登出地址', 'Back-channel logout URI'],
  'clients.auth': ['认证方式', 'Authentication'],
  'clients.firstParty': ['自有应用', 'first party'],
  'clients.thirdParty': ['第三方应用（需用户同意）', 'third party (asks consent)'],
  'keys.title': ['签名密钥', 'Signing keys'],
  'keys.source.store': ['密钥环保存在存储中（加密）；用 npx koobridge keys rotate 轮换。', 'The ring is kept sealed in the store; rotate with npx koobridge keys rotate.'],
  'keys.source.file': ['密钥来自 OIDC_JWKS_FILE。', 'The keys come from OIDC_JWKS_FILE.'],
  'keys.kid': ['kid', 'kid'],
  'keys.alg': ['算法', 'Algorithm'],
  'keys.state': ['状态', 'State'],
  'keys.retireAfter': ['停止发布于', 'Unpublished after'],
  'keys.current': ['签名中', 'signing'],
  'keys.next': ['已发布，下次轮换后签名', 'published, signs after the next rotation'],
  'keys.retired': ['已退役，仍发布', 'retired, still published'],
  'keys.published': ['已发布', 'published'],
  'status.active': ['正常', 'active'],
  'status.frozen': ['已冻结', 'frozen'],
  'status.released': ['已释放', 'released'],
  'status.pending': ['等待实例', 'pending'],
  'status.none': ['无订阅', 'none'],
  'status.cancelled': ['已取消授权', 'cancelled'],
  'status.disabled': ['已禁用', 'disabled'],
  'status.test': ['测试', 'test'],
  'times': ['时间均为北京时间（UTC+8）。', 'Times are China Standard Time (UTC+8).'],
} as const satisfies Record<string, readonly [string, string]>;

export type Key = keyof typeof M;

export const lang = (): Lang => (document.documentElement.lang === 'en' ? 'en' : 'zh-CN');

/** The sentence in the page's language, `{name}` replaced by the values (as text, never markup). */
export function t(key: Key, values: Record<string, string | number> = {}): string {
  const [zh, en] = M[key];
  return (lang() === 'en' ? en : zh).replace(/\{(\w+)\}/g, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

const TIME = new Map<Lang, Intl.DateTimeFormat>();

/** A time of the API (ISO string or ms) in Beijing time, as people in China read it; '—' when absent. */
export function time(value: string | number | null | undefined): string {
  if (value === null || value === undefined || value === '') return '—';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  const l = lang();
  let format = TIME.get(l);
  if (!format) {
    format = new Intl.DateTimeFormat(l === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' });
    TIME.set(l, format);
  }
  return format.format(date);
}

/** A status the API answers (`active`, `frozen`, …) in words; an unknown one as it came. */
export function statusWord(status: string): string {
  const key = `status.${status}`;
  return key in M ? t(key as Key) : status;
}
