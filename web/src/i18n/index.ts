import { createI18n } from 'vue-i18n';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

export type Locale = 'zh-CN' | 'en';
const LOCALE_KEY = 'posface.locale';

export function savedLocale(storage: Pick<Storage, 'getItem'> = localStorage): Locale {
  const value = storage.getItem(LOCALE_KEY);
  return value === 'en' ? 'en' : 'zh-CN';
}

export function saveLocale(locale: Locale, storage: Pick<Storage, 'setItem'> = localStorage): void {
  storage.setItem(LOCALE_KEY, locale);
}

export function makeI18n(locale: Locale = 'zh-CN') {
  return createI18n({
    legacy: false,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
    missingWarn: import.meta.env.DEV,
    fallbackWarn: import.meta.env.DEV,
  });
}
