#!/usr/bin/env node
/**
 * Writes public/samples/bank-statement.csv: a year of a made-up current account, the same bytes
 * on every run (seeded PRNG, fixed dates). Three rows are malformed on purpose, so the sample
 * also shows how unreadable rows are reported.
 *
 * Usage: node scripts/make-sample-csv.mjs [rows] [output]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rows = Number(process.argv[2] ?? 4000);
const output = resolve(root, process.argv[3] ?? 'public/samples/bank-statement.csv');

/** mulberry32: tiny, fast and the same everywhere. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(20250101);
const pick = (list) => list[Math.floor(random() * list.length)];
const between = (min, max) => min + random() * (max - min);

/** [weight, merchants, min, max] of everyday card spending, in pounds. */
const spending = [
  [26, ['TESCO STORES 2231', "SAINSBURY'S S/MKT", 'LIDL GB LONDON', 'ALDI 84 CROYDON', 'WHOLE FOODS MKT'], 3, 95],
  [16, ['PRET A MANGER', 'STARBUCKS 1107', 'DELIVEROO', "NANDO'S SOHO", 'WAGAMAMA LTD'], 3, 48],
  [14, ['TFL TRAVEL CH', 'UBER *TRIP', 'SHELL 4432 FUEL', 'NATIONAL RAIL ENQ'], 2, 70],
  [12, ['AMAZON MARKETPLACE', 'IKEA WEMBLEY', 'JOHN LEWIS', 'ARGOS LTD'], 5, 220],
  [6, ['BOOTS 1120', 'SUPERDRUG', 'PHARMACY 24'], 2, 35],
  [5, ['ATM WITHDRAWAL HSBC', 'CASH MACHINE 0043'], 20, 150],
  [5, ['PAYPAL *MARKETPLACE', 'CARD PAYMENT MISC', 'SQ *LOCAL MARKET'], 4, 60],
  [3, ['CINEWORLD', 'VUE CINEMAS', 'STEAM GAMES'], 6, 40],
];
const totalWeight = spending.reduce((sum, [weight]) => sum + weight, 0);

/** Monthly lines: [day, description, amount]. */
const monthly = [
  [1, 'RENT - FLAT 3 ELM COURT', -1450],
  [3, 'BRITISH GAS', -72.4],
  [5, 'THAMES WATER', -38.15],
  [8, 'OCTOPUS ENERGY', -64.9],
  [12, 'VODAFONE LTD', -24],
  [14, 'NETFLIX.COM', -10.99],
  [17, 'SPOTIFY P0A1B2C3', -11.99],
  [21, 'AMAZON PRIME*RT5', -8.99],
  [25, 'TRANSFER TO SAVINGS', -300],
  [28, 'SALARY ACME LTD', 3125.5],
];

function spend() {
  let roll = random() * totalWeight;
  for (const [weight, merchants, min, max] of spending) {
    roll -= weight;
    if (roll <= 0) return [pick(merchants), -between(min, max)];
  }
  const [, merchants, min, max] = spending[0];
  return [pick(merchants), -between(min, max)];
}

const quote = (text) => (/[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
const iso = (time) => new Date(time).toISOString().slice(0, 10);

const start = Date.UTC(2025, 0, 1);
const day = 86_400_000;
const lines = ['Date,Description,Amount,Currency'];
const monthlyPerYear = monthly.length * 12;
const cardRows = Math.max(0, rows - monthlyPerYear);
const entries = [];
for (let month = 0; month < 12; month++) {
  for (const [dayOfMonth, description, amount] of monthly) {
    entries.push([Date.UTC(2025, month, dayOfMonth), description, amount]);
  }
}
for (let i = 0; i < cardRows; i++) {
  const [description, amount] = spend();
  entries.push([start + Math.floor(random() * 365) * day, description, amount]);
}
entries.sort((a, b) => a[0] - b[0]);
for (const [time, description, amount] of entries.slice(0, rows)) {
  lines.push([iso(time), quote(description), amount.toFixed(2), 'GBP'].join(','));
}

// Malformed on purpose, at fixed places: an amount that is not a number, a missing field, a bad date.
const broken = [
  [Math.floor(rows * 0.25), '2025-04-02,REFUND PENDING,n/a,GBP'],
  [Math.floor(rows * 0.5), '2025-07-01,CARD PAYMENT MISC'],
  [Math.floor(rows * 0.75), '31/13/2025,TESCO STORES 2231,-12.40,GBP'],
];
for (const [index, line] of broken) lines[index] = line;

mkdirSync(dirname(output), { recursive: true });
writeFileSync(output, `${lines.join('\n')}\n`);
console.log(`${output}: ${lines.length - 1} rows`);
