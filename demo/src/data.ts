import type { MemberLevel, Product } from '@posface/protocol/api';

/**
 * Demo data for `npm start` and `npm run seed -w demo`. The members' openids are those of wxpay-sim/faces.tsv lines 1–4;
 * faces 5 and 6 are deliberately not members (to show enrolment). A test keeps the two in step.
 */

export const DEMO_STORE = { id: 'S001', name: '演示门店 Demo Store' };
export const DEMO_DEVICE_ID = 'D001';

export const DEMO_MEMBERS: ReadonlyArray<{
  id: string;
  openid: string;
  unionid: string | null;
  nickname: string;
  phone: string;
  level: MemberLevel;
  points: number;
}> = [
  { id: 'M0001', openid: 'oSIM_0001_wangfang', unionid: 'uSIM_0001', nickname: '王芳', phone: '13812345678', level: 'gold', points: 1280 },
  { id: 'M0002', openid: 'oSIM_0002_lilei', unionid: 'uSIM_0002', nickname: '李雷 🍵', phone: '13987654321', level: 'silver', points: 420 },
  { id: 'M0003', openid: 'oSIM_0003_zhangwei', unionid: 'uSIM_0003', nickname: '张伟', phone: '13600001111', level: 'standard', points: 35 },
  { id: 'M0004', openid: 'oSIM_0004_emily', unionid: null, nickname: 'Emily Chen', phone: '13500002222', level: 'platinum', points: 5600 },
];

export const DEMO_PRODUCTS: readonly Product[] = [
  { id: 'P001', barcode: '6901234567892', name: '农夫山泉 550ml', name_en: 'Nongfu Spring Water 550ml', price_fen: 200, member_price_fen: 150 },
  { id: 'P002', barcode: '6902538006100', name: '可口可乐 330ml', name_en: 'Coca-Cola 330ml', price_fen: 350, member_price_fen: 300 },
  { id: 'P003', barcode: '6920152400012', name: '康师傅红烧牛肉面', name_en: 'Master Kong Beef Noodles', price_fen: 450, member_price_fen: 399 },
  { id: 'P004', barcode: '6907992100012', name: '伊利纯牛奶 250ml', name_en: 'Yili Pure Milk 250ml', price_fen: 380, member_price_fen: 320 },
  { id: 'P005', barcode: '6911988012345', name: '奥利奥饼干', name_en: 'Oreo Cookies', price_fen: 890, member_price_fen: 790 },
  { id: 'P006', barcode: '6923450656181', name: '乐事薯片 原味', name_en: "Lay's Classic Chips", price_fen: 750, member_price_fen: null },
  { id: 'P007', barcode: '6901028075831', name: '金龙鱼大米 5kg', name_en: 'Arawana Rice 5kg', price_fen: 4990, member_price_fen: 4590 },
  { id: 'P008', barcode: '6925303773106', name: '统一冰红茶 500ml', name_en: 'Uni-President Iced Tea 500ml', price_fen: 300, member_price_fen: null },
  { id: 'P009', barcode: '6935284412345', name: '星巴克咖啡豆 250g', name_en: 'Starbucks Coffee Beans 250g', price_fen: 9800, member_price_fen: 8800 },
  { id: 'P010', barcode: '6970399920415', name: '三只松鼠 每日坚果', name_en: 'Three Squirrels Daily Nuts', price_fen: 1290, member_price_fen: 1090 },
];

/**
 * Past sales (days ago, member or walk-in, [product, quantity]…), so the demo's recommendations show
 * each member's favourites and the store's best-sellers from the first recognised face on.
 */
export const DEMO_HISTORY: ReadonlyArray<{ daysAgo: number; member_id: string | null; lines: ReadonlyArray<readonly [string, number]> }> = [
  { daysAgo: 40, member_id: 'M0001', lines: [['P004', 2], ['P010', 1]] },
  { daysAgo: 25, member_id: 'M0001', lines: [['P004', 3], ['P005', 1]] },
  { daysAgo: 6, member_id: 'M0001', lines: [['P010', 2], ['P004', 1]] },
  { daysAgo: 30, member_id: 'M0002', lines: [['P002', 6], ['P006', 2]] },
  { daysAgo: 3, member_id: 'M0002', lines: [['P002', 4], ['P003', 2]] },
  { daysAgo: 12, member_id: 'M0003', lines: [['P007', 1], ['P003', 5]] },
  { daysAgo: 20, member_id: 'M0004', lines: [['P009', 2]] },
  { daysAgo: 15, member_id: null, lines: [['P001', 6], ['P008', 3]] },
  { daysAgo: 8, member_id: null, lines: [['P001', 4], ['P002', 2], ['P006', 1]] },
  { daysAgo: 2, member_id: null, lines: [['P001', 5], ['P005', 1]] },
];
