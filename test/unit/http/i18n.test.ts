import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorCode } from '../../../src/shared/errors.js';
import { ERROR_TEXTS, SUBSCRIPTION_TEXTS } from '../../../src/http/error-texts.js';
import { chooseLanguage, DEFAULT_LANG, formatTime, LANGUAGES, MESSAGES, t, th } from '../../../src/http/i18n.js';

describe('the language of a page', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['zh-Hans-CN', 'zh-CN'],
    ['zh-Hans', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['en-GB', 'en'],
  ] as const)('Accept-Language %s is %s', (header, lang) => {
    expect(chooseLanguage(header)).toBe(lang);
  });

  it('follows the q-values, not the order', () => {
    expect(chooseLanguage('en;q=0.5, zh-CN;q=0.9')).toBe('zh-CN');
    expect(chooseLanguage('zh;q=0.3, en-US;q=0.8')).toBe('en');
  });

  it('keeps the order between equal q-values', () => {
    expect(chooseLanguage('en, zh-CN')).toBe('en');
    expect(chooseLanguage('zh-CN, en')).toBe('zh-CN');
  });

  it('skips languages it does not speak and those refused with q=0', () => {
    expect(chooseLanguage('fr-FR, de;q=0.9, en;q=0.5, zh;q=0.1')).toBe('en');
    expect(chooseLanguage('zh;q=0, en;q=0.1')).toBe('en');
  });

  it('is Chinese when nothing matches: no header, an empty or garbled one, only other languages, or *', () => {
    expect(DEFAULT_LANG).toBe('zh-CN');
    for (const header of [undefined, '', 'fr, de', ';;;,', 'en;q=abc', '*']) expect(chooseLanguage(header)).toBe('zh-CN');
  });

  it('a ?lang= override wins over Accept-Language; an unknown one is ignored', () => {
    expect(chooseLanguage('zh-CN', 'en')).toBe('en');
    expect(chooseLanguage('en', 'zh-CN')).toBe('zh-CN');
    expect(chooseLanguage('en', 'zh')).toBe('zh-CN');
    expect(chooseLanguage('en', 'fr')).toBe('en');
    expect(chooseLanguage('en', '*')).toBe('en');
    expect(chooseLanguage('en', ['zh'])).toBe('en');
  });
});

describe('the catalogue', () => {
  it('has every sentence in both languages, none empty, with the same placeholders', () => {
    for (const [key, text] of Object.entries(MESSAGES)) {
      const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      for (const lang of LANGUAGES) expect(text[lang], `${key} ${lang}`).toMatch(/\S/);
      expect(placeholders(text['zh-CN']), key).toEqual(placeholders(text.en));
    }
  });

  it('has a title and an explanation in both languages for every error code', () => {
    for (const code of Object.keys(ERRORS) as ErrorCode[]) {
      const words = ERROR_TEXTS[code];
      for (const lang of LANGUAGES) {
        expect(words.title[lang], `${code} title ${lang}`).toMatch(/\S/);
        expect(words.text[lang], `${code} text ${lang}`).toMatch(/\S/);
      }
      // Chinese is Chinese: at least one CJK character; English has none.
      expect(words.title['zh-CN'] + words.text['zh-CN'], code).toMatch(/[\u4e00-\u9fff]/);
      expect(words.title.en + words.text.en, code).not.toMatch(/[\u4e00-\u9fff]/);
    }
    expect(Object.keys(ERROR_TEXTS).sort()).toEqual(Object.keys(ERRORS).sort());
  });

  it('explains every inactive subscription state in both languages', () => {
    for (const state of ['frozen', 'ended', 'pending', 'none'] as const) for (const lang of LANGUAGES) expect(SUBSCRIPTION_TEXTS[state][lang]).toMatch(/\S/);
  });

  it('fills placeholders: as text for t, as given HTML into an escaped sentence for th', () => {
    expect(t('en', 'landing.heading', { name: 'Zhang <San>' })).toBe('Signed in as Zhang <San>');
    expect(th('zh-CN', 'confirm.heading', { name: '<strong>张三</strong>' })).toBe('以 <strong>张三</strong> 的身份继续？');
  });
});

describe('times on pages', () => {
  const at = Date.UTC(2026, 11, 1, 10, 3); // 18:03 in Shanghai

  it('are local to China, readable, and name their zone', () => {
    expect(formatTime('zh-CN', at)).toBe('2026年12月1日星期二 18:03（北京时间，UTC+8）');
    expect(formatTime('en', at)).toBe('Tuesday, 1 December 2026 at 18:03 (China Standard Time, UTC+8)');
  });
});
