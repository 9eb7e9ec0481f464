import type { CodeTable } from './table.js';

/**
 * 未参保原因. There is no national list (SPEC §1): this is the city's seed list, editable data.
 * 99 其他 needs a note (未参保原因说明).
 */
export const UNINSURED_REASON: CodeTable = {
  id: 'uninsuredReason',
  name: '未参保原因',
  entries: [
    { code: '01', label: '在外地参保', aliases: ['外地参保', '在外地已参保'] },
    { code: '02', label: '在校学生', aliases: ['学生'] },
    { code: '03', label: '现役军人', aliases: ['军人'] },
    { code: '04', label: '服刑人员', aliases: ['服刑'] },
    { code: '05', label: '出国(境)', aliases: ['出国', '出境', '出国出境'] },
    { code: '06', label: '死亡未销户', aliases: ['死亡'] },
    { code: '07', label: '无参保意愿', aliases: ['不愿参保', '不愿意参保'] },
    { code: '08', label: '经济困难/交不起', aliases: ['经济困难', '交不起', '缴不起', '经济困难交不起'] },
    { code: '09', label: '不了解政策', aliases: ['不了解'] },
    { code: '99', label: '其他', aliases: ['其它', '其他原因'] },
  ],
};

/** The reason code whose meaning is in the free-text note. */
export const UNINSURED_REASON_OTHER = '99';

/** 参保意愿. */
export const WILLINGNESS: CodeTable = {
  id: 'willingness',
  name: '参保意愿',
  entries: [
    { code: '1', label: '愿意参保', aliases: ['愿意', '有意愿', '有', '是'] },
    { code: '2', label: '暂不愿意', aliases: ['暂不愿意参保', '不愿意', '无意愿', '无', '否'] },
    { code: '3', label: '已在他处参保', aliases: ['他处参保', '已在外地参保'] },
  ],
};
