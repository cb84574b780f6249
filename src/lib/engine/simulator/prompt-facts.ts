/**
 * What the simulator can read out of a prompt to fill tool arguments and structured answers: the
 * places it names (in order), its numbers, quoted strings, a person's name, keywords and a topic.
 * Pure and deterministic: the same prompt always gives the same facts.
 */

export interface Place {
  city: string;
  country: string;
  timezone: string;
  lat: number;
  lon: number;
}

export interface PromptFacts {
  prompt: string;
  places: Place[];
  numbers: number[];
  /** Dates the prompt names ("12 June", "June 12, 2026"), as YYYY-MM-DD. */
  dates: string[];
  quoted: string[];
  person: string | null;
  /** Content words, lowercased, unique, in order. */
  keywords: string[];
  /** What the prompt is about, in a few words. */
  topic: string;
}

// city, country, timezone, lat, lon
const CITIES: [string, string, string, number, number][] = [
  ['Paris', 'France', 'Europe/Paris', 48.8566, 2.3522],
  ['Tokyo', 'Japan', 'Asia/Tokyo', 35.6762, 139.6503],
  ['London', 'United Kingdom', 'Europe/London', 51.5074, -0.1278],
  ['New York', 'United States', 'America/New_York', 40.7128, -74.006],
  ['San Francisco', 'United States', 'America/Los_Angeles', 37.7749, -122.4194],
  ['Los Angeles', 'United States', 'America/Los_Angeles', 34.0522, -118.2437],
  ['Chicago', 'United States', 'America/Chicago', 41.8781, -87.6298],
  ['Seattle', 'United States', 'America/Los_Angeles', 47.6062, -122.3321],
  ['Boston', 'United States', 'America/New_York', 42.3601, -71.0589],
  ['Toronto', 'Canada', 'America/Toronto', 43.6532, -79.3832],
  ['Vancouver', 'Canada', 'America/Vancouver', 49.2827, -123.1207],
  ['Mexico City', 'Mexico', 'America/Mexico_City', 19.4326, -99.1332],
  ['São Paulo', 'Brazil', 'America/Sao_Paulo', -23.5505, -46.6333],
  ['Buenos Aires', 'Argentina', 'America/Argentina/Buenos_Aires', -34.6037, -58.3816],
  ['Berlin', 'Germany', 'Europe/Berlin', 52.52, 13.405],
  ['Munich', 'Germany', 'Europe/Berlin', 48.1351, 11.582],
  ['Madrid', 'Spain', 'Europe/Madrid', 40.4168, -3.7038],
  ['Barcelona', 'Spain', 'Europe/Madrid', 41.3874, 2.1686],
  ['Rome', 'Italy', 'Europe/Rome', 41.9028, 12.4964],
  ['Lisbon', 'Portugal', 'Europe/Lisbon', 38.7223, -9.1393],
  ['Amsterdam', 'Netherlands', 'Europe/Amsterdam', 52.3676, 4.9041],
  ['Brussels', 'Belgium', 'Europe/Brussels', 50.8503, 4.3517],
  ['Vienna', 'Austria', 'Europe/Vienna', 48.2082, 16.3738],
  ['Zurich', 'Switzerland', 'Europe/Zurich', 47.3769, 8.5417],
  ['Dublin', 'Ireland', 'Europe/Dublin', 53.3498, -6.2603],
  ['Stockholm', 'Sweden', 'Europe/Stockholm', 59.3293, 18.0686],
  ['Oslo', 'Norway', 'Europe/Oslo', 59.9139, 10.7522],
  ['Copenhagen', 'Denmark', 'Europe/Copenhagen', 55.6761, 12.5683],
  ['Athens', 'Greece', 'Europe/Athens', 37.9838, 23.7275],
  ['Istanbul', 'Turkey', 'Europe/Istanbul', 41.0082, 28.9784],
  ['Cairo', 'Egypt', 'Africa/Cairo', 30.0444, 31.2357],
  ['Nairobi', 'Kenya', 'Africa/Nairobi', -1.2921, 36.8219],
  ['Lagos', 'Nigeria', 'Africa/Lagos', 6.5244, 3.3792],
  ['Cape Town', 'South Africa', 'Africa/Johannesburg', -33.9249, 18.4241],
  ['Dubai', 'United Arab Emirates', 'Asia/Dubai', 25.2048, 55.2708],
  ['Mumbai', 'India', 'Asia/Kolkata', 19.076, 72.8777],
  ['Bangkok', 'Thailand', 'Asia/Bangkok', 13.7563, 100.5018],
  ['Singapore', 'Singapore', 'Asia/Singapore', 1.3521, 103.8198],
  ['Hong Kong', 'China', 'Asia/Hong_Kong', 22.3193, 114.1694],
  ['Beijing', 'China', 'Asia/Shanghai', 39.9042, 116.4074],
  ['Seoul', 'South Korea', 'Asia/Seoul', 37.5665, 126.978],
  ['Kyoto', 'Japan', 'Asia/Tokyo', 35.0116, 135.7681],
  ['Osaka', 'Japan', 'Asia/Tokyo', 34.6937, 135.5023],
  ['Sydney', 'Australia', 'Australia/Sydney', -33.8688, 151.2093],
  ['Melbourne', 'Australia', 'Australia/Melbourne', -37.8136, 144.9631],
  ['Reykjavik', 'Iceland', 'Atlantic/Reykjavik', 64.1466, -21.9426],
  ['Auckland', 'New Zealand', 'Pacific/Auckland', -36.8485, 174.7633],
];

const STOPWORDS = new Set(
  (
    'a an and are as at be but by can could do does for from get give have how i in into is it its ' +
    'me my of on or please should show tell than that the their them then there these this those to ' +
    'us was what whats when where which who why will with would you your about also each some any ' +
    'make like just list write create generate extract find return using use want need current now ' +
    'today right brief briefly short json object data details information answer question'
  ).split(' '),
);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function placesIn(prompt: string): Place[] {
  const found: { at: number; place: Place }[] = [];
  for (const [city, country, timezone, lat, lon] of CITIES) {
    const at = prompt.search(new RegExp(`\\b${escape(city)}\\b`, 'i'));
    if (at !== -1) found.push({ at, place: { city, country, timezone, lat, lon } });
  }
  // Capitalised names after a lowercase "in" or "at" that the table does not know ("in Reykjavik",
  // "in Reykjavik and Nuuk").
  const NAME = '[A-Z][\\p{L}-]+(?: [A-Z][\\p{L}-]+)?';
  const list = new RegExp(`\\b(?:in|at) (${NAME}(?:(?:, | and |, and )${NAME})*)`, 'gu');
  for (const m of prompt.matchAll(list)) {
    let at = m.index + m[0].length - m[1]!.length;
    for (const name of m[1]!.split(/, and |, | and /)) {
      const known = CITIES.some(([c]) => c.toLowerCase() === name.toLowerCase());
      if (!known && !STOPWORDS.has(name.toLowerCase())) {
        found.push({ at, place: { city: name, country: '', timezone: 'UTC', lat: 0, lon: 0 } });
      }
      at += name.length + 1;
    }
  }
  return found.sort((a, b) => a.at - b.at).map((f) => f.place);
}

function personIn(prompt: string, places: Place[]): string | null {
  for (const m of prompt.matchAll(/\b([A-Z][a-z]+ [A-Z][a-z]+)\b/g)) {
    const name = m[1]!;
    if (places.some((p) => name.includes(p.city))) continue;
    if (STOPWORDS.has(name.split(' ')[0]!.toLowerCase())) continue;
    return name;
  }
  return null;
}

function topicOf(prompt: string, keywords: string[]): string {
  const about = /\b(?:about|on|for|of|describing|regarding)\s+(?:an?\s+|the\s+)?([^.?!,:\n]+)/i.exec(prompt);
  const phrase = about?.[1]?.trim();
  if (phrase && phrase.split(/\s+/).length <= 6) return phrase.replace(/\s+/g, ' ');
  const said = keywords.slice(0, 3).map((k) => new RegExp(`\\b${escape(k)}`, 'i').exec(prompt)?.[0] ?? k);
  return said.join(' ') || 'the request';
}

const MONTHS = 'january february march april may june july august september october november december'.split(
  ' ',
);
const MONTH = '(january|february|march|april|may|june|july|august|september|october|november|december)';
const DATE = new RegExp(
  `\\b(?:(\\d{1,2})(?:st|nd|rd|th)? ${MONTH}|${MONTH} (\\d{1,2})(?:st|nd|rd|th)?)(?:,? (\\d{4}))?`,
  'gi',
);

/** Named dates, and the prompt with them blanked out (so their digits are not read as numbers). */
function datesIn(prompt: string): { dates: string[]; rest: string } {
  const dates: string[] = [];
  const rest = prompt.replace(DATE, (...m: (string | undefined)[]) => {
    const month = MONTHS.indexOf((m[2] ?? m[3] ?? '').toLowerCase()) + 1;
    const day = Number(m[1] ?? m[4]);
    const year = m[5] ?? '2025';
    dates.push(`${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`);
    return ' ';
  });
  return { dates, rest };
}

/** Reads the facts out of a prompt. */
export function factsOf(prompt: string): PromptFacts {
  const places = placesIn(prompt);
  const keywords = [
    ...new Set(
      (prompt.toLowerCase().match(/[\p{L}][\p{L}'-]{3,}/gu) ?? [])
        .map((w) => w.replace(/'s$/, ''))
        .filter((w) => !STOPWORDS.has(w) && !STOPWORDS.has(w.replace(/'/g, ''))),
    ),
  ];
  const { dates, rest } = datesIn(prompt);
  return {
    prompt,
    places,
    dates,
    numbers: (rest.match(/-?\b\d+(?:\.\d+)?\b/g) ?? []).map(Number),
    quoted: [...prompt.matchAll(/["“]([^"”]+)["”]/g)].map((m) => m[1]!),
    person: personIn(prompt, places),
    keywords,
    topic: topicOf(prompt, keywords),
  };
}
