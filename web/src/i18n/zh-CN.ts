import type { ErrorCode } from '@posface/protocol';

/**
 * Simplified Chinese: the cashier's language and the source of every key (en.ts must have the same
 * keys; i18n.test.ts checks). vue-i18n syntax: {name} interpolates; avoid bare @ | { } in texts.
 */

const errors: Record<ErrorCode, { message: string; advice: string }> = {
  EXTENSION_UNAVAILABLE: {
    message: '未检测到刷脸扩展',
    advice: '请在 Chrome 中安装并启用 POS Face 扩展，然后刷新本页。',
  },
  ORIGIN_NOT_ALLOWED: {
    message: '刷脸扩展不允许本网址使用',
    advice: '请联系 IT，把本收银网址加入扩展的允许列表。',
  },
  HOST_NOT_FOUND: {
    message: '未安装刷脸本地服务',
    advice: '请 IT 在本机运行本地服务安装程序（pos-face-host install），然后重启浏览器。',
  },
  HOST_FORBIDDEN: {
    message: '刷脸本地服务拒绝了本扩展',
    advice: '请 IT 用正确的扩展 ID 重新运行本地服务安装程序。',
  },
  HOST_EXITED: {
    message: '刷脸本地服务意外退出',
    advice: '请重试；如反复出现，请导出诊断信息并联系 IT。',
  },
  HOST_ERROR: {
    message: '刷脸本地服务出错',
    advice: '请重试；如反复出现，请导出诊断信息并联系 IT。',
  },
  INVALID_REQUEST: {
    message: '请求内容不正确',
    advice: '请检查输入后重试；如反复出现，请联系 IT。',
  },
  MESSAGE_TOO_LARGE: {
    message: '数据过大，无法处理',
    advice: '请联系 IT 并提供诊断信息。',
  },
  TIMEOUT: {
    message: '操作超时',
    advice: '请重试；检查网络和摄像头是否正常。',
  },
  BUSY: {
    message: '刷脸正在进行中',
    advice: '请等待当前刷脸结束，或按 Esc 取消后再试。',
  },
  VERSION_MISMATCH: {
    message: '扩展与本地服务版本不匹配',
    advice: '请 IT 将扩展和本地服务更新到同一版本。',
  },
  SDK_UNAVAILABLE: {
    message: '刷脸组件不可用',
    advice: '请确认微信刷脸服务 WxpayFaceService 已启动、SDK 已安装，然后刷新本页。',
  },
  SDK_CALL_FAILED: {
    message: '调用刷脸组件失败',
    advice: '请确认 WxpayFaceService 正在运行后重试。',
  },
  FACE_SERVICE_DOWN: {
    message: '微信刷脸服务 WxpayFaceService 未运行',
    advice: '请在本机启动 WxpayFaceService 后重试；如反复出现，请联系 IT 将其设为开机自动启动。',
  },
  SDK_ERROR: {
    message: '刷脸组件返回错误',
    advice: '请重试；如反复出现，请检查摄像头并联系 IT。',
  },
  USER_CANCEL: {
    message: '顾客取消了刷脸',
    advice: '可以再次刷脸，或改用手机号查找会员。',
  },
  AUTHINFO_INVALID: {
    message: '刷脸凭证无效或已过期',
    advice: '系统已自动重新获取；如仍失败，请检查服务器与网络。',
  },
  UNAUTHORIZED: {
    message: '本终端未获授权',
    advice: '本终端未配对，或配对已失效、已被吊销。请向 IT 索取配对码重新配对。',
  },
  PAIRING_CODE_INVALID: {
    message: '配对码无效',
    advice: '请核对配对码；过期或已使用的配对码请向 IT 索取新的。',
  },
  CSRF_REJECTED: {
    message: '请求来源未通过校验',
    advice: '请从收银页面本身操作；如反复出现，请导出诊断信息并联系 IT。',
  },
  FORBIDDEN: {
    message: '没有权限执行此操作',
    advice: '请联系店主或 IT 开通相应权限。',
  },
  RATE_LIMITED: {
    message: '操作过于频繁',
    advice: '请稍等片刻（约一分钟）再试。',
  },
  NOT_FOUND: {
    message: '未找到',
    advice: '请检查输入是否正确。',
  },
  CONFLICT: {
    message: '数据冲突',
    advice: '该记录已存在或已被修改，请刷新后重试。',
  },
  UPSTREAM_ERROR: {
    message: '微信支付服务返回错误',
    advice: '请稍后重试；如反复出现，请联系 IT 检查商户配置。',
  },
  UPSTREAM_TIMEOUT: {
    message: '微信支付服务响应超时',
    advice: '请稍后重试，并检查服务器的网络。',
  },
  LIMIT_EXCEEDED: {
    message: '超出允许的上限',
    advice: '订单的商品行数、数量或金额过大，请拆分为几笔订单。',
  },
  POINTS_INSUFFICIENT: {
    message: '积分不足',
    advice: '会员的积分余额少于要抵扣的积分，请减少抵扣积分或不使用积分。',
  },
  REDEMPTION_NOT_ALLOWED: {
    message: '此订单不能使用这些积分',
    advice: '积分抵扣可能未开启，或超过了规则允许的订单比例，请减少抵扣积分或不使用积分。',
  },
  REFUND_EXCEEDS_SALE: {
    message: '超出可退数量',
    advice: '此订单已有部分退款，请重新加载订单，按剩余可退数量退款。',
  },
  DATABASE_UNAVAILABLE: {
    message: '服务器数据库暂时不可用',
    advice: '请稍后重试；如持续出现，请联系 IT。',
  },
  INTERNAL_ERROR: {
    message: '服务器内部错误',
    advice: '请稍后重试；如反复出现，请联系 IT。',
  },
  NETWORK_ERROR: {
    message: '无法连接服务器',
    advice: '请检查网络连接；恢复后重试。',
  },
};

export const zhCN = {
  app: {
    title: 'POS Face 收银台',
    store: '门店',
    device: '终端',
    language: 'English',
    settings: '设置',
    diagnostics: '诊断',
    back: '返回收银',
  },
  pair: {
    title: '配对本终端',
    intro: '请输入 IT 为本终端生成的 8 位配对码。配对码 10 分钟内有效，只能使用一次。',
    code: '配对码',
    submit: '配对',
    checking: '正在验证…',
    failed: '配对失败',
    paired: '已配对：{store} · {device}',
    why: {
      UNAUTHORIZED: {
        unknown: '本终端的配对已失效（已解除配对，或已在别处重新配对）。请向 IT 索取新的配对码。',
        expired: '本终端超过 30 天未使用，配对已过期。请向 IT 索取新的配对码。',
        revoked: '本终端已被 IT 吊销。如需继续使用，请联系 IT 重新开通并获取新的配对码。',
        cookie_rejected: '浏览器没有保存配对凭证。收银页面必须通过 HTTPS（或本机 localhost）打开，请联系 IT。',
      },
      PAIRING_CODE_INVALID: {
        unknown: '配对码不正确。请核对后重新输入（不含字母 I 和 O、数字 0 和 1）。',
        expired: '配对码已过期（有效期 10 分钟）。请向 IT 索取新的配对码。',
        used: '配对码已被使用过。如果不是本机使用的，请立即通知 IT。',
      },
      INVALID_REQUEST: {
        format: '配对码为 8 位：数字 2–9 和字母 A–Z（不含 I 和 O）。',
      },
    },
  },
  search: {
    placeholder: '扫码或输入商品名称 / 条码，回车添加',
    noHit: '没有找到“{q}”',
    ambiguous: '有 {n} 个结果，请用 ↑↓ 选择后回车',
    added: '已添加 {name}',
  },
  cart: {
    title: '购物车',
    empty: '请扫码添加商品',
    product: '商品',
    price: '单价',
    quantity: '数量',
    lineTotal: '小计',
    remove: '删除',
    decrease: '减少',
    increase: '增加',
    memberPrice: '会员价',
    items: '共 {n} 件',
    subtotal: '原价合计',
    savings: '会员优惠',
    total: '应收',
    complete: '完成收款',
    completing: '正在提交…',
    clear: '清空',
    saleDone: '收款成功：{total}',
    pointsEarned: '本单积分 +{points}，会员当前积分 {balance}',
    saleFailed: '提交订单失败',
    next: '下一位顾客',
  },
  member: {
    title: '会员',
    faceButton: '刷脸识别会员',
    nickname: '昵称',
    level: '等级',
    points: '积分',
    phone: '手机',
    detach: '解除会员',
    recommendations: '为 TA 推荐',
    reasonFrequent: '常买',
    reasonBestseller: '热销',
    add: '加入',
    levels: { standard: '普通会员', silver: '银卡会员', gold: '金卡会员', platinum: '白金会员' },
    phoneLookup: '手机号查找会员',
    phonePlaceholder: '输入 11 位手机号',
    phoneSearch: '查找',
    phoneNotFound: '没有找到该手机号的会员',
    phoneInvalid: '请输入 11 位手机号',
    pickOne: '找到多位会员，请选择：',
    enrolTitle: '开通会员',
    enrolIntro: '顾客还不是会员，一键开通：',
    enrolPhone: '手机号（可选）',
    enrolSubmit: '一键开通会员',
    enrolling: '正在开通…',
    enrolled: '已开通会员',
  },
  face: {
    phase: {
      idle: '刷脸未启动',
      preparing: '正在准备刷脸…',
      ready: '可以刷脸',
      unavailable: '刷脸不可用',
      scanning: '请看摄像头',
      recognising: '正在识别会员…',
      found: '已识别会员',
      not_member: '还不是会员',
      cancelled: '已取消刷脸',
      failed: '刷脸失败',
    },
    hint: {
      idle: '',
      preparing: '正在获取刷脸凭证，请稍候。',
      ready: '按 F2 或点击按钮开始。',
      unavailable: '仍可用手机号查找会员并正常收款。',
      scanning: '请顾客正对摄像头。按 Esc 取消。',
      recognising: '正在查询会员信息。',
      found: '会员价已应用到购物车。',
      not_member: '可以一键为顾客开通会员。',
      cancelled: '可再次刷脸，或改用手机号查找。',
      failed: '可再次刷脸，或改用手机号查找。',
    },
    cancelling: '正在取消…',
    gettingReady: '刷脸还在准备中，请稍候再按 F2。',
    cancelUnsupported: '此刷脸 SDK 不支持在收银台取消：请顾客在刷脸界面点击“取消”。',
    retry: '重试',
    dismiss: '关闭',
    what: '处理方法',
    sdkSays: '刷脸组件返回',
  },
  status: {
    extension: '扩展',
    host: '本地服务',
    sdk: 'SDK',
    server: '服务器',
    authinfo: '刷脸凭证',
    ok: '正常',
    missing: '缺失',
    error: '异常',
    unknown: '未知',
    fetching: '获取中',
    expiresIn: '{min} 分钟后过期',
    open: '查看诊断',
  },
  diagnostics: {
    title: '诊断信息',
    intro: '以下信息可提供给 IT。不包含配对凭证、密钥或顾客 openid。',
    copy: '复制诊断信息',
    copied: '已复制',
    copyFailed: '复制失败，请手动选择文本复制',
    recheck: '重新检测',
    recentErrors: '最近的错误',
    none: '无',
  },
  settings: {
    title: '设置',
    terminal: '终端',
    language: '界面语言',
    unpair: '解除配对',
    unpairConfirm: '确定要解除本终端的配对吗？解除后需要 IT 提供新的配对码才能重新配对。',
    faceConfig: '刷脸配置',
    screenIndex: '刷脸屏幕',
    releaseAfterSession: '每次刷脸后释放摄像头',
    yes: '是',
    no: '否',
  },
  shortcuts: {
    f2: 'F2 刷脸',
    esc: 'Esc 取消',
    f9: 'F9 收款',
  },
  errors,
};

/** The shape every language must have: same keys, string leaves. */
export type MessageShape<T> = { [K in keyof T]: T[K] extends string ? string : MessageShape<T[K]> };
export type Messages = MessageShape<typeof zhCN>;
