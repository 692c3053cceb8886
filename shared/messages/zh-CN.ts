// The refusal messages in Chinese (zh-CN), keyed by error code and then by variant: `default`,
// or the `variant` a throw site puts in the error's details when one code has several distinct
// messages. `{{name}}` is filled from the details (the same syntax as the renderer's i18next).
// The backend fills every reply's `message` from this catalogue; the renderer shows it (or en.ts).
export const zhCN = {
  INVALID_INPUT: {
    default: '输入有误，请检查后重试',
    issue: '输入有误：{{issue}}',
    issueAt: '输入有误：{{path}}：{{issue}}',
    method: '接口只接受 POST',
    contentType: '请求须为 JSON',
    json: '请求不是合法的 JSON',
    tooLarge: '请求过大',
    badUrl: '请求地址不正确',
    badRequest: '请求不正确',
    futureCount: '不能清点尚未到来的营业日',
    openingCash: '期初现金取自上一次轧账的实点现金，不能另行录入',
    printerInterface: '打印机接口格式不正确',
    printerInterfaceProblem: '{{problem}}',
  },
  NOT_LOGGED_IN: { default: '请先登录：选择操作员并输入 PIN' },
  NOT_PERMITTED: {
    default: '您的授权范围不包括此项操作：{{permissionZh}}（{{permission}}），请由经营者本人办理',
    holderOnly: '此项设置只能由经营者本人办理',
  },
  NOT_ADMITTED: { default: '该人员不在邮政平台的授权名单中，或授权已过期，不能登录' },
  OPERATOR_LOCKED: { default: 'PIN 连续输错 5 次，该操作员已锁定至 {{until}}，请稍后再试' },
  WRONG_PIN: { default: 'PIN 不正确，还可再试 {{left}} 次' },
  PIN_NOT_SET: { default: '首次登录请设置 PIN（4～8 位数字，输入两次）' },
  PIN_MISMATCH: { default: '两次输入的 PIN 不一致' },
  UNAUTHORIZED: {
    default: '未授权：请从本机驿站程序打开',
    noBackend: '未连接到驿站后台',
  },
  NOT_TRAINED: { default: '该操作员尚未完成此项业务培训，不能办理' },
  SERVICE_NOT_OPEN: { default: '邮政平台尚未为本站开通此项业务' },
  TRAINING_UNAVAILABLE: { default: '练习模式暂不可用：{{reason}}', none: '本机未提供练习模式' },
  TRAINING_NOT_ALLOWED: { default: '练习模式下不能修改本站的真实设置，请先退出练习模式' },
  CERTIFICATE_REFUSED: {
    default: '邮政平台拒绝受理本站的请求：本站安全证书已过期、被吊销或本站尚未激活，请联系邮政管理员',
  },
  NOT_FOUND: {
    default: '未找到该记录',
    operator: '没有这位操作员',
    channel: '没有这个接口：{{channel}}',
    bill: '未找到该账单，请先查询',
    voucherUnconfirmed: '中心系统未确认该存款凭证：{{reason}}',
    noGreenCard: '本站尚未绑定邮政绿卡，不能自助充值',
    greenCardUnconfirmed: '中心系统未确认该笔绿卡充值：{{reason}}',
    zReport: '没有这张轧账单',
    trainingSerial:
      '{{serial}} 是练习模式的凭证（流水号以 LX 开头），不是正式交易，不能在正式收款台查询、重印或冲正',
    realSerialInTraining:
      '练习模式中只能查询练习凭证（流水号以 LX 开头）；正式凭证 {{serial}} 请退出练习模式后查询',
    zSlip: '没有这张轧账单：该营业日尚未轧账',
    noReceipt: '这类交易没有小票',
    uiNotBuilt: '界面尚未构建：请先运行 npm run build:renderer',
  },
  IDEMPOTENCY_CONFLICT: { default: '同一笔业务编号已用于不同的请求，请重新发起' },
  IN_PROGRESS: { default: '这笔业务正在处理中，请稍候查看结果' },
  DUPLICATE_VOUCHER: {
    default: '该存款凭证号已经入账，不能重复充值',
    bankRef: '该银行流水号已经入账，不能重复充值',
  },
  ALREADY_REVERSED: { default: '该笔交易已经冲正，不能再次冲正' },
  NOT_REVERSIBLE: {
    default: '该笔交易不能冲正',
    isReversal: '冲正交易本身不能再冲正',
    centralRefused: '中心系统不同意冲正：{{reason}}',
  },
  DAY_CLOSED: {
    default: '该营业日已轧账关闭，不能再记账',
    day: '营业日 {{day}} 已轧账',
    dayWithZ: '营业日 {{day}} 已轧账（Z{{zNo}}）',
    untilTomorrow: '营业日 {{day}} 已轧账，不能再办理业务；次日零点后可继续营业',
  },
  BILL_EXPIRED: { default: '账单查询已过期，请重新查询' },
  BILL_ALREADY_PAID: { default: '该账单已缴费' },
  NO_BILL_DUE: { default: '该户号当前没有待缴账单' },
  AMOUNT_REQUIRED: {
    default: '该户号没有应缴金额，请输入客户选择的缴费金额',
    limits: '该户号没有应缴金额，请输入客户选择的缴费金额（{{min}}–{{max}} 元）',
  },
  AMOUNT_OUT_OF_RANGE: {
    default: '缴费金额超出缴费单位的限额',
    limits: '缴费金额 {{amount}} 元超出限额：须在 {{min}} 元至 {{max}} 元之间',
  },
  AMOUNT_FIXED: {
    default: '该账单只能按应缴金额缴费，不能自选金额',
    amounts: '该账单只能按应缴金额 {{amountDue}} 元缴费，不能自选金额（本次输入 {{amount}} 元）',
  },
  PAYEE_NOT_CONFIRMED: {
    default: '缴费前须先与客户核对户名和金额（已与客户核对）',
    unknown: '没有这次核对的记录，请与客户重新核对',
    otherBill: '这次核对不是该账单的，请与客户核对该账单',
    otherAmount: '核对的金额 {{confirmed}} 元与本次缴费金额 {{amount}} 元不符，请与客户重新核对',
    changed: '账单信息（户名、金额或手续费）与核对时不同，请重新查询并与客户核对',
    otherOperator: '这次核对是另一位操作员所做，请由本人与客户重新核对',
  },
  PAYEE_CONFIRMATION_EXPIRED: {
    default: '与客户核对已过期，请与客户重新核对',
    minutes: '与客户核对已超过 {{minutes}} 分钟，请与客户重新核对',
  },
  PAYEE_CONFIRMATION_USED: { default: '这次核对已用于另一笔缴费，请与客户重新核对' },
  CASH_SHORT: {
    default: '实收现金不足应收金额',
    amounts: '实收现金不足：应收 {{total}} 元，实收 {{cashReceived}} 元，还差 {{missing}} 元',
  },
  CASH_TOO_MUCH: {
    default: '实收现金超出应收金额过多，请核对',
    amounts:
      '实收现金过多：应收 {{total}} 元，实收 {{cashReceived}} 元，最多只能多收 {{maxOver}} 元，请核对金额',
  },
  INSUFFICIENT_FLOAT: {
    default: '预存款余额不足，请先充值',
    payment: '预存款余额不足：本笔需 {{needed}} 元，可用 {{available}} 元，还差 {{shortfall}} 元，请先充值',
    reversal: '预存款余额不足以冲正这笔充值：需 {{needed}} 元，可用 {{available}} 元，还差 {{shortfall}} 元',
  },
  PAYMENT_NOT_MADE: { default: '缴费系统未收到这笔缴费，未扣款。请与客户重新确认后再缴' },
  PAYMENT_DECLINED: {
    default: '缴费机构拒绝了这笔缴费',
    reason: '缴费机构拒绝了这笔缴费：{{reason}}',
  },
  GATEWAY_UNAVAILABLE: {
    default: '缴费系统暂时无法连接，请稍后重试',
    outcomeUnknown:
      '缴费系统未及时答复，这笔缴费的结果待确认。请勿重复收款：稍后用同一笔业务重试，系统会先查询结果',
    centralBalance: '无法连接中心系统读取预存款余额：请从邮政系统查询余额后手工录入',
  },
  DAY_NOT_CLOSABLE: {
    default: '该营业日现在不能轧账：请先轧账之前未轧账的营业日',
    future: '不能轧账尚未到来的营业日',
    order: '请先轧账 {{earliestOpen}}：营业日须按顺序轧账',
  },
  PENDING_PAYMENTS: {
    default: '还有结果待确认的缴费，不能轧账：请先处理待确认的缴费',
    count: '还有 {{pending}} 笔缴费结果待确认，不能轧账：请稍后重试或先处理待确认的缴费',
  },
  COUNT_REQUIRED: {
    default: '请先清点钱箱现金（以最近一次清点为准）',
    none: '请先清点钱箱现金',
    recounted: '钱箱已重新清点：请以最近一次清点为准',
  },
  REMARK_REQUIRED: {
    default: '有差额，请填写差额说明后再轧账',
    float: '预存款与中心余额差额 {{floatDifference}} 元：请填写差额说明',
    cash: '现金长短款 {{cashVariance}} 元：请填写差额说明',
    both: '预存款与中心余额差额 {{floatDifference}} 元，现金长短款 {{cashVariance}} 元：请填写差额说明',
  },
  TAKINGS_EXCEEDED: {
    default: '结算金额超过未结算的营业款',
    amounts: '结算金额 {{amount}} 元超过未结算的营业款 {{takingsDue}} 元',
  },
  RECONCILIATION_FAILED: { default: '账务核对不平，不能轧账：请联系技术支持' },
  MONITOR_NOT_CONFIGURED: { default: '尚未设置监测平台地址，暂不上报（记录会保留，设置后补报）' },
  MONITOR_UNREACHABLE: {
    default: '无法连接监测平台，系统会自动重试，记录不会丢失',
    reason: '无法连接监测平台（{{reason}}），系统会自动重试，记录不会丢失',
  },
  MONITOR_REFUSED: {
    default: '监测平台拒绝了本站的上报，请联系邮政管理部门核对站点登记',
    monitor: '监测平台拒绝了上报：{{monitorMessage}}（{{monitorCode}}）',
  },
  MONITOR_KEY_UNAVAILABLE: { default: '无法读取本站的上报密钥，请联系技术支持' },
  FAULT_ALREADY_REPORTED: {
    default: '今天已记录过同一类型、同样说明的异常，无需重复上报；情况有变化请写明新的情况',
  },
  FAULT_REPORT_LIMIT: {
    default: '今天手工上报的异常已达 {{max}} 条，不能再上报：请直接电话联系邮政网点',
  },
  PAYMENT_PENDING: {
    default: '该账单有一笔缴费结果待确认，不能换一笔业务再次缴费：请用原业务重试（系统会先查询结果）',
  },
  DAY_NOT_COUNTABLE: {
    default: '只能清点当天或最早一个未轧账的营业日的钱箱',
    oldest: '只能清点今天（{{today}}）或最早未轧账的营业日（{{oldestUnclosed}}）的钱箱',
    todayOnly: '只能清点今天（{{today}}）的钱箱：{{day}} 不是未轧账的营业日',
  },
  SECOND_HOLDER: { default: '本站已有经营者（合同持有人），不能再添加第二位' },
  LEDGER_TAMPERED: {
    default: '账本校验未通过（记录可能被改动），已停止收付业务：请联系邮政管理部门和技术支持',
    problem: '账本校验未通过：{{problem}}。已停止收付业务：请联系邮政管理部门和技术支持',
  },
  SETUP_REQUIRED: { default: '本机尚未设置站点：请先选择「演示站点」或激活「正式站点」' },
  ALREADY_SET_UP: { default: '本机已设置站点，不能再次选择' },
  ACTIVATION_REFUSED: {
    default: '邮政平台拒绝了激活：{{platformMessage}}（{{platformCode}}）',
    code: '激活码不正确、已使用或已过期（或与机构号不符）：请核对后重试，或请邮政管理部门重新发放激活码',
    profile: '邮政平台发来的站点档案未通过校验（{{reason}}），未激活：请联系邮政管理部门',
  },
  PLATFORM_UNREACHABLE: {
    default: '无法连接邮政平台 {{url}}：请检查平台地址和网络后重试',
    notPlatform: '{{url}} 不是邮政平台（回复无法识别）：请核对平台地址',
  },
  PLATFORM_EMBEDDED: { default: '演示站点使用随站运行的内置邮政平台，平台地址不能更改' },
  INTERNAL: { default: '系统内部错误，本笔业务未完成' },
} as const;

/** The shape every language's catalogue must have: the same codes and variants. */
export type MessageCatalogue = {
  readonly [C in keyof typeof zhCN]: { readonly [V in keyof (typeof zhCN)[C]]: string };
};
