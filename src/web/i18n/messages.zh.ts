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
} as const;

export type MessageKey = keyof typeof zh;
export type ZhMessages = typeof zh;
