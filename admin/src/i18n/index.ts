import { createI18n } from 'vue-i18n';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
const LOCALE_KEY = 'posface.admin.locale';

export function savedLocale(storage: Pick<Storage, 'getItem'> = localStorage): Locale {
  return storage.getItem(LOCALE_KEY) === 'en' ? 'en' : 'zh-CN';
}

export function saveLocale(locale: Locale, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(LOCALE_KEY, locale);
}

export function makeI18n(locale: Locale = 'zh-CN') {
  return createI18n({ legacy: false, locale, fallbackLocale: 'zh-CN', messages: { 'zh-CN': zhCN, en }, missingWarn: import.meta.env.DEV, fallbackWarn: import.meta.env.DEV });
}
