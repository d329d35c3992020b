/**
 * What a person reads on an error page, per error code, in both languages: a title and what to do,
 * in plain words. The KbError's own message is written for logs and operators (it may name a field
 * or a tenant id) and never shows here. Codes a browser never meets (webhook signatures, admin API)
 * share the generic texts, so that every code has a page in both languages.
 */
import type { ErrorCode } from '../shared/errors.js';
import type { Text } from './i18n.js';

export interface ErrorText {
  title: Text;
  text: Text;
}

const GENERIC: ErrorText = {
  title: { 'zh-CN': '出了点问题', en: 'Something went wrong' },
  text: { 'zh-CN': '这个请求没能完成。请稍后重试；如果问题仍然出现，请联系您的管理员。', en: 'This request could not be completed. Please try again later; if it happens again, tell your administrator.' },
};
const BAD_REQUEST: ErrorText = {
  title: { 'zh-CN': '无法处理这个请求', en: 'This request cannot be handled' },
  text: { 'zh-CN': '这个请求不完整或已损坏。请回到应用重新打开。', en: 'This request is incomplete or damaged. Please go back to the application and open it again.' },
};
const EXPIRED: ErrorText = {
  title: { 'zh-CN': '这次登录已过期', en: 'This sign-in has expired' },
  text: { 'zh-CN': '登录花的时间太久，或者是在另一个浏览器中开始的。请重新登录。', en: 'The sign-in took too long or was started in another browser. Please sign in again.' },
};
const MISCONFIGURED: ErrorText = {
  title: { 'zh-CN': '您组织的登录配置有误', en: 'This organization’s sign-in is misconfigured' },
  text: { 'zh-CN': '您组织的登录服务设置不正确，暂时无法登录。请联系您的管理员。', en: 'Your organization’s sign-in service is not set up correctly, so you cannot sign in for now. Please tell your administrator.' },
};
const NOT_COMPLETED: ErrorText = {
  title: { 'zh-CN': '登录没有完成', en: 'Sign-in was not completed' },
  text: { 'zh-CN': '您组织的登录服务没有完成这次登录（可能已被取消）。请重新登录。', en: 'Your organization’s sign-in service did not complete this sign-in (it may have been cancelled). Please sign in again.' },
};
const UNAVAILABLE: ErrorText = {
  title: { 'zh-CN': '服务暂时不可用', en: 'Service temporarily unavailable' },
  text: { 'zh-CN': '服务暂时无法使用。请过几分钟再试。', en: 'The service cannot be used right now. Please try again in a few minutes.' },
};

export const ERROR_TEXTS: Record<ErrorCode, ErrorText> = {
  invalid_json: BAD_REQUEST,
  unsupported_media_type: BAD_REQUEST,
  payload_too_large: BAD_REQUEST,
  invalid_parameter: {
    title: { 'zh-CN': '登录链接无效', en: 'This sign-in link does not work' },
    text: { 'zh-CN': '这个登录链接不完整或已损坏。请回到应用或 KooGallery 工作台重新登录。', en: 'This sign-in link is incomplete or damaged. Please go back to the application or your KooGallery workbench and sign in again.' },
  },
  unknown_interface: GENERIC,
  method_not_allowed: GENERIC,
  timestamp_missing: GENERIC,
  timestamp_out_of_window: GENERIC,
  nonce_missing: GENERIC,
  signature_missing: GENERIC,
  signature_invalid: GENERIC,
  nonce_replayed: GENERIC,
  secret_undecryptable: GENERIC,
  app_mismatch: GENERIC,
  instance_unknown: GENERIC,
  idp_invalid_grant: EXPIRED,
  idp_unauthorized: NOT_COMPLETED,
  idp_invalid_client: MISCONFIGURED,
  idp_unavailable: {
    title: { 'zh-CN': '您组织的登录服务暂时不可用', en: 'Your organization’s sign-in service is unavailable' },
    text: { 'zh-CN': '您组织的登录服务没有响应。请过几分钟再试；如果一直无法登录，请联系您的管理员。', en: 'Your organization’s sign-in service is not answering. Please try again in a few minutes; if it keeps failing, tell your administrator.' },
  },
  idp_bad_response: {
    title: { 'zh-CN': '您组织的登录服务返回了异常结果', en: 'Your organization’s sign-in service answered unexpectedly' },
    text: { 'zh-CN': '您组织的登录服务返回了无法识别的结果。请重新登录；如果问题仍然出现，请联系您的管理员。', en: 'Your organization’s sign-in service gave an answer we could not read. Please sign in again; if it happens again, tell your administrator.' },
  },
  idp_forbidden_address: MISCONFIGURED,
  cas_invalid_ticket: EXPIRED,
  cas_invalid_service: {
    title: { 'zh-CN': '这个登录链接不属于这里', en: 'This sign-in link does not belong here' },
    text: { 'zh-CN': '您组织的登录服务认为这个登录不是为本应用发起的。请从应用重新登录。', en: 'Your organization’s sign-in service says this sign-in was not made for this application. Please sign in again from the application.' },
  },
  order_query_unavailable: UNAVAILABLE,
  order_query_failed: GENERIC,
  login_tenant_unknown: {
    title: { 'zh-CN': '未知的组织', en: 'Unknown organization' },
    text: { 'zh-CN': '本应用不认识这个登录链接中的组织。请从 KooGallery 工作台打开应用；如果您的组织刚刚购买，请稍等几分钟再试。', en: 'This application does not know the organization in this sign-in link. Please open the application from your KooGallery workbench; if your organization has just bought it, try again in a few minutes.' },
  },
  login_no_credentials: {
    title: { 'zh-CN': '您的组织还没有开通登录', en: 'This organization is not set up yet' },
    text: { 'zh-CN': '您的组织还没有完成本应用的登录设置。通常几分钟内会自动完成；如果一直如此，请联系您的管理员。', en: 'Your organization has not finished setting up sign-in for this application. This usually completes by itself within minutes; if it does not, tell your administrator.' },
  },
  login_state_invalid: EXPIRED,
  login_replayed: {
    title: { 'zh-CN': '这个登录链接已经用过了', en: 'This sign-in link was already used' },
    text: { 'zh-CN': '每个登录链接只能使用一次。请重新登录。', en: 'Each sign-in link works only once. Please sign in again.' },
  },
  login_tenant_mismatch: {
    title: { 'zh-CN': '组织不一致', en: 'Organization mismatch' },
    text: { 'zh-CN': '您登录使用的账号属于另一个组织，而不是这次登录要进入的组织。请用正确的组织账号重新登录。', en: 'The account you signed in with belongs to another organization than the one this sign-in was for. Please sign in again with the right organization’s account.' },
  },
  login_user_not_authorized: {
    title: { 'zh-CN': '您没有使用本应用的权限', en: 'You are not authorized for this application' },
    text: { 'zh-CN': '您的组织没有为您的账号开通本应用，或者已经停用、收回了权限。请联系您的管理员。', en: 'Your organization has not given your account access to this application, or has disabled or withdrawn it. Please ask your administrator.' },
  },
  login_subscription_inactive: {
    title: { 'zh-CN': '您组织的订阅未生效', en: 'Your organization’s subscription is not active' },
    text: { 'zh-CN': '您的组织目前没有有效的本应用订阅。请联系您的管理员在 KooGallery 上处理。', en: 'Your organization has no active subscription to this application. Please ask your administrator to look into it on KooGallery.' },
  },
  login_idp_initiated_disabled: {
    title: { 'zh-CN': '请从应用开始登录', en: 'Please start signing in from the application' },
    text: { 'zh-CN': '为了安全，本应用只接受从应用本身发起的登录。请打开应用，再点击登录。', en: 'For your safety this application only accepts sign-ins started from the application itself. Please open the application and sign in there.' },
  },
  login_refused_upstream: NOT_COMPLETED,
  cas_service_not_registered: {
    title: { 'zh-CN': '这个应用不能使用本登录', en: 'This application may not use this sign-in' },
    text: { 'zh-CN': '打开您的应用没有登记为可以通过本服务（CAS）登录的应用，所以没有为它登录。请联系应用的管理员。', en: 'The application that sent you here is not registered to sign in through this service (CAS), so you were not signed in to it. Please tell the application’s administrator.' },
  },
  cas_tenant_not_allowed: {
    title: { 'zh-CN': '您的组织不能使用这个应用', en: 'Your organization may not use this application' },
    text: { 'zh-CN': '您已登录，但这个应用没有向您的组织开放。请用其他组织的账号登录，或联系您的管理员。', en: 'You are signed in, but this application is not open to your organization. Sign in with another organization’s account, or ask your administrator.' },
  },
  cross_origin_refused: {
    title: { 'zh-CN': '请求被拒绝', en: 'Request refused' },
    text: { 'zh-CN': '这个操作必须在本站页面上完成，不能从其他网站提交。请重新打开页面再试。', en: 'This action must be done on this site’s own page, not submitted from another site. Please open the page again and retry.' },
  },
  unauthenticated: {
    title: { 'zh-CN': '您尚未登录', en: 'You are not signed in' },
    text: { 'zh-CN': '请先登录。', en: 'Please sign in first.' },
  },
  unauthorized: GENERIC,
  admin_disabled: GENERIC,
  not_found: {
    title: { 'zh-CN': '页面不存在', en: 'Page not found' },
    text: { 'zh-CN': '找不到这个页面。请检查地址，或回到应用。', en: 'This page does not exist. Please check the address or go back to the application.' },
  },
  rate_limited: {
    title: { 'zh-CN': '请求过于频繁', en: 'Too many requests' },
    text: { 'zh-CN': '刚才的登录请求太多，暂时无法处理。请稍等一两分钟再试。', en: 'There have been too many sign-in requests just now. Please wait a minute or two and try again.' },
  },
  store_unavailable: UNAVAILABLE,
  config_invalid: GENERIC,
  internal: GENERIC,
};

/** The subscription refusal says why, per state (KbError details `subscription`). */
export const SUBSCRIPTION_TEXTS: Record<'frozen' | 'ended' | 'pending' | 'none', Text> = {
  frozen: { 'zh-CN': '您组织对本应用的订阅已被冻结。请联系您的管理员在 KooGallery 上续费。', en: 'Your organization’s subscription to this application is frozen. Please ask your administrator to renew it on KooGallery.' },
  ended: { 'zh-CN': '您组织对本应用的订阅已经结束。请联系您的管理员在 KooGallery 上重新购买。', en: 'Your organization’s subscription to this application has ended. Please ask your administrator to buy it again on KooGallery.' },
  pending: { 'zh-CN': '您组织对本应用的订阅仍在开通中。请过几分钟再试。', en: 'Your organization’s subscription to this application is still being set up. Please try again in a few minutes.' },
  none: { 'zh-CN': '您的组织还没有订阅本应用。请联系您的管理员在 KooGallery 上购买。', en: 'Your organization has no subscription to this application. Please ask your administrator to buy it on KooGallery.' },
};
