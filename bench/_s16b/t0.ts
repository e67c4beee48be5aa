export const t = 0;
