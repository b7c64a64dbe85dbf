/**
 * The staff pages' words in Chinese: the source of the catalogue's keys. `messages.en.ts` must give every key
 * (tsc fails otherwise), and a `{name}` placeholder here is a parameter `t()` requires.
 */
export const zh = {
  'app.name': '城管非现场执法',
  'common.yes': '是',
  'common.no': '否',
  'common.none': '无',
  'common.cancel': '取消',
  'common.back': '返回',
  'common.save': '保存',

  'nav.cameras': '摄像头',
  'nav.review': '审核',
  'nav.cases': '案件',
  'nav.devices': '设备公示',
  'nav.queues': '队列',
  'nav.signOut': '退出登录',
  'nav.language': 'English',
  'nav.languageTitle': '切换为英文界面',

  'error.notFound': '页面不存在',
  'error.forbidden': '无权访问',
  'error.badRequest': '请求有误',
  'error.conflict': '操作冲突',
  'error.internal': '系统出错',
  'error.requestId': '请求编号：{id}',
  'error.home': '返回首页',
  'error.signInRequired': '请先登录',
  'error.tooManyRequests': '操作过于频繁',
  'error.unavailable': '服务暂不可用',
  'error.other': '出错了',
  'error.internalMessage': '系统出错，请稍后再试。',
  'error.noSuchPage': '您要打开的页面不存在，请检查地址或从首页重新进入。',
  'error.invalidLink': '链接无效，请检查地址或从列表重新打开。',
  'error.invalidLinkQuery': '链接中的参数无效，请从列表重新打开。',
  'error.invalidForm': '提交的内容无效，请返回检查后重试。',
  'error.backToWork': '返回工作台',
  'error.devices': '设备公示',

  'reauth.title': '登录已过期',
  'reauth.intro': '请重新登录。登录后将继续刚才的操作，页面上填写的内容不会丢失。',
  'reauth.username': '用户名',
  'reauth.password': '密码',
  'reauth.submit': '登录并继续',
  'reauth.wrongPassword': '用户名或密码错误。',
} as const;

export type MessageKey = keyof typeof zh;
export type ZhMessages = typeof zh;
