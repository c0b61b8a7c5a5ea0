/** Text encodings a peer may speak; GBK covers many copies of the tutorial. */
export type Encoding = 'utf8' | 'gbk' | 'gb18030';

export const encodings: readonly Encoding[] = ['utf8', 'gbk', 'gb18030'];
