const countFormat = new Intl.NumberFormat('en-US');
const percentFormat = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 0 });

/** 10000 → "10,000". Fixed locale: ranks read the same for everyone in a cohort. */
export const formatCount = (n: number): string => countFormat.format(n);
/** 0.734 → "73%". */
export const formatPercent = (share: number): string => percentFormat.format(share);
