/** Checkers for the common JSON Schema string formats (those elicitation uses, plus uuid). */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:z|([+-])(\d{2}):(\d{2}))$/i;
const EMAIL =
  /^[^\s@"(),:;<>[\]\\]+@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
const URI = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s"<>\\^`{|}]*$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** An RFC 3339 full-date, `2025-11-25`, with real month and day ranges. */
export function isDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) return false;
  const month = Number(m[2]);
  const day = Number(m[3]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(Number(m[1]), month);
}

/** An RFC 3339 full-time with an offset, `13:45:00.5Z` or `13:45:00+02:00` (leap second allowed). */
export function isTime(value: string): boolean {
  const m = TIME.exec(value);
  if (!m) return false;
  const [hour, minute, second] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (hour > 23 || minute > 59 || second > 60) return false;
  return m[4] === undefined || (Number(m[5]) <= 23 && Number(m[6]) <= 59);
}

/** An RFC 3339 date-time, `2025-11-25T13:45:00Z`. */
export function isDateTime(value: string): boolean {
  const t = value.search(/[Tt]/);
  return t === 10 && isDate(value.slice(0, t)) && isTime(value.slice(t + 1));
}

/** An email address of the usual `local@domain.tld` shape. */
export function isEmail(value: string): boolean {
  return value.length <= 320 && EMAIL.test(value);
}

/** An absolute URI: a scheme, a colon, and no characters that URIs cannot hold. */
export function isUri(value: string): boolean {
  return URI.test(value);
}

/** The formats given to the JSON Schema validator; other formats are accepted without checking. */
export const FORMATS: Record<string, (value: string) => boolean> = {
  date: isDate,
  time: isTime,
  'date-time': isDateTime,
  email: isEmail,
  uri: isUri,
  uuid: (value) => UUID.test(value),
};
