// Synthetic registration data of any size, reproducible from a seed: realistic names, valid ID
// numbers (GB 11643 check digits) of the Changzhou districts, addresses, insurance states, and a
// share of invalid rows (bad check digits, missing phones, spreadsheet-mangled IDs).
// Usage: tsx bench/generate.ts ROWS FILE [--seed S] [--invalid 0.03] [--region 320411] [--communities CODE,CODE…]
// With --communities a last column 社区 spreads the rows over those communities (for a district-level import).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { createRng } from '../src/domain/sampling.js';
import { checkDigit } from '../src/domain/id-number.js';

const SURNAMES = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const GIVEN = '伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国建华志强红梅玉兰海燕文杰子涵梓轩欣怡浩然宇轩雨桐';
const ROADS = ['河海东路', '龙锦路', '晋陵北路', '关河东路', '青洋北路', '延陵西路', '南大街', '劳动中路', '长江北路', '通江中路'];
const CATEGORIES = ['24', '24', '24', '27', '17', '21', '31', '51', '54', '70', '80', '80'];
const HUKOU = ['21', '21', '11', '22', '12', '20', '10'];

export const BENCH_HEADER = ['姓名', '公民身份号码', '民族', '户口性质', '户籍地址', '常住地址', '联系电话', '个人身份', '工作单位', '调查日期', '采集人',
  '企业职工基本养老保险参保状态', '企业职工基本养老保险参保地', '职工基本医疗保险参保状态', '职工基本医疗保险参保地', '城乡居民基本医疗保险参保状态', '城乡居民基本医疗保险参保地', '未参保原因', '参保意愿'];

export function* generateRows(n: number, opts: { seed: string; invalidRate: number; region: string }): Generator<string[]> {
  const rnd = createRng(opts.seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(rnd() * a.length)]!;
  const used = new Set<string>();
  const usedCells = new Set<string>(); // the ID column stays unique, so the baseline's unique index holds
  for (let i = 0; i < n; i++) {
    let id: string;
    for (;;) {
      const year = 1930 + Math.floor(rnd() * 70); // adults: minors would need a guardian
      const month = 1 + Math.floor(rnd() * 12);
      const day = 1 + Math.floor(rnd() * 28);
      const seq = String(Math.floor(rnd() * 1000)).padStart(3, '0');
      const first17 = `${opts.region}${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`;
      id = first17 + checkDigit(first17);
      if (!used.has(id)) break;
    }
    used.add(id);
    const name = pick([...SURNAMES]) + pick([...GIVEN]) + (rnd() < 0.5 ? pick([...GIVEN]) : '');
    const address = `${pick(ROADS)}${1 + Math.floor(rnd() * 300)}号`;
    let phone = `1${pick(['3', '5', '8', '9'])}${String(Math.floor(rnd() * 1e9)).padStart(9, '0')}`;
    const employed = rnd() < 0.6;
    const insured = rnd() < 0.9;
    let idCell = id;
    if (rnd() < opts.invalidRate) {
      const kind = Math.floor(rnd() * 3);
      if (kind === 0) idCell = id.slice(0, 17) + (id[17] === '0' ? '1' : '0'); // wrong check digit
      else if (kind === 1) phone = '';
      else idCell = `${id.slice(0, 1)}.${id.slice(1, 15)}E+17`; // stored as a number (15 significant digits)
      if (usedCells.has(idCell)) idCell = id.slice(0, 17) + (id[17] === '0' ? '1' : '0');
    }
    usedCells.add(idCell);
    yield [
      name, idCell, '汉族', pick(HUKOU), `常州市${address}`, address, phone, pick(CATEGORIES), employed ? '常州某某有限公司' : '', '2016-05-0' + (1 + Math.floor(rnd() * 9)), '调查员',
      insured && employed ? '1' : '0', insured && employed ? '常州市' : '', insured && employed ? '1' : '0', insured && employed ? '常州市' : '',
      insured && !employed ? '1' : '0', insured && !employed ? '常州市' : '', insured ? '' : '09', insured ? '' : '1',
    ];
  }
}

function csvCell(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export async function writeCsvFile(file: string, n: number, opts: { seed: string; invalidRate: number; region: string; communities?: string[] }): Promise<void> {
  const out = fs.createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((res) => out.once('drain', () => res())));
  const communities = opts.communities ?? [];
  await write([...BENCH_HEADER, ...(communities.length ? ['社区'] : [])].join(',') + '\n');
  let buf = '';
  let i = 0;
  for (const row of generateRows(n, opts)) {
    // uneven on purpose: community k gets a share growing with k
    if (communities.length) row.push(communities[Math.floor(Math.sqrt((i++ * 7919) % (communities.length * communities.length)))]!);
    buf += row.map(csvCell).join(',') + '\n';
    if (buf.length > 1 << 20) {
      await write(buf);
      buf = '';
    }
  }
  await write(buf);
  await new Promise<void>((res) => out.end(() => res()));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { seed: { type: 'string', default: 'canbao' }, invalid: { type: 'string', default: '0.03' }, region: { type: 'string', default: '320411' }, communities: { type: 'string' } } });
  const n = Number(positionals[0] ?? 1000);
  const file = positionals[1] ?? 'registrations.csv';
  await writeCsvFile(file, n, { seed: values.seed!, invalidRate: Number(values.invalid), region: values.region!, communities: values.communities ? values.communities.split(',') : [] });
  console.log(`wrote ${n} rows to ${file}`);
}
