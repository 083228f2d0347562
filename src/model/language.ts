/** Which rules an article's text is set by: Chinese, or those of a Latin-script language. */

/** Languages written in Han characters (and kana, hangul): set by the Chinese rules; every other is Latin-script text. */
const CJK_LANGUAGES = /^(zh|ja|ko)\b/i;

/**
 * The language of an article's text: its front matter's `lang`, else `en`
 * where its letters are mostly Latin (fewer than one Han character to ten
 * Latin letters, addresses and code left out), else `zh`.
 */
export function articleLanguage(src: { body: string; lang?: string }): string {
  if (src.lang) return src.lang;
  const text = src.body.replace(/```[\s\S]*?```|`[^`]*`|\S+:\/\/\S+|\S+@\S+|\]\([^)]*\)/g, '');
  const han = text.match(/\p{Script=Han}/gu)?.length ?? 0;
  const latin = text.match(/\p{Script=Latin}/gu)?.length ?? 0;
  return latin >= 40 && han * 10 < latin ? 'en' : 'zh';
}

export const isLatinLanguage = (language: string) => !CJK_LANGUAGES.test(language);
