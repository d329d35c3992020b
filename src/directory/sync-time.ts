/** KooGallery's sync times: GMT+8 `yyyyMMddHHmmssSSS`, which sort as strings. */
const GMT8_OFFSET_MS = 8 * 3600 * 1000;

export function toSyncTime(ms: number): string {
  return new Date(ms + GMT8_OFFSET_MS).toISOString().replace(/\D/g, '').slice(0, 17);
}
