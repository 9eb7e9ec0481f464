#!/usr/bin/env node
// The canbao command: serve, migrate, seed, user, backup, restore.
import { parseArgs } from 'node:util';
import { loadConfig } from '../server/config.js';
import { migrateToLatest } from '../server/db/index.js';
import { openContext, prepare } from '../server/bootstrap.js';
import { buildApp } from '../server/app.js';
import { failInterruptedDetailTables } from '../server/statistics/detail-tables.js';
import { removeLeftoverTemporaryFiles } from '../server/uploads.js';
import { markInterruptedImports } from '../server/registration/import/service.js';
import { seed } from '../server/seed/seed.js';
import { userCommand } from './user.js';
import { backupCommand, restoreCommand } from './backup.js';
import { importCommand } from './import.js';
import { auditCommand } from './audit.js';

const HELP = `canbao — 全民参保登记考核系统

用法: canbao <命令> [参数]

  serve                         启动服务 (PORT, DATABASE_URL, CANBAO_DATA_DIR)
  migrate                       执行数据库迁移
  seed                          载入组织机构、2016 年考核批次和初始管理员（可重复执行）
  user create --username U --name N --role R --org CODE
                                新建用户，打印一次性初始密码
  user reset-password --username U
                                重置密码，打印一次性临时密码
  import FILE --org CODE [--mode all|valid] [--user U] [--overwrite-names] [--sheet 工作表]
                                导入登记表（.xlsx/.csv），默认全部成功才导入
  backup FILE                   备份数据库和全部存储文件到一个文件（服务运行中也可）
  restore FILE [--check]        校验备份并恢复数据库和存储文件（须先停止服务）；--check 只校验
  audit verify-archive FILE [--key-file PATH]
                                离线校验审计日志 JSON 归档（签名、哈希链、校验码）
`;

async function serve(): Promise<void> {
  const config = loadConfig();
  const { ctx, handle, seeded } = await prepare(config);
  await failInterruptedDetailTables(ctx.db);
  const interrupted = await markInterruptedImports(ctx);
  if (interrupted) console.log(`上次运行中断的导入 ${interrupted} 个已标记为“已中断”（未写入数据）`);
  const removed = removeLeftoverTemporaryFiles(config.dataDir);
  if (removed) console.log(`已删除上次运行遗留的临时文件 ${removed} 个`);
  const { app } = await buildApp({ ctx, logger: true });
  await app.listen({ port: config.port, host: config.host });
  const where = `http://localhost:${config.port}`;
  console.log('');
  console.log(`canbao 已启动: ${where}  (数据库: ${ctx.dialect === 'sqlite' ? config.sqlitePath : 'PostgreSQL'})`);
  if (seeded.admin) {
    console.log(`初始管理员账户: ${seeded.admin.username}`);
    if (seeded.admin.password) console.log(`初始密码（只显示这一次，首次登录须修改）: ${seeded.admin.password}`);
    else console.log('初始密码: CANBAO_ADMIN_PASSWORD 所设的密码（首次登录须修改）');
  } else {
    console.log(`请在浏览器打开 ${where} 登录。`);
  }
  console.log(`调查员手机入户采集: ${where}/m/（首次联网登录后可离线使用）`);
  console.log('');
  const stop = async () => {
    await app.close();
    await handle.destroy();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      await serve();
      return -1; // keep running
    case 'migrate': {
      const config = loadConfig();
      const { ctx, handle } = await openContext(config);
      try {
        const done = await migrateToLatest(ctx.db, config.pgSchema);
        console.log(done.length ? `已执行迁移: ${done.join(', ')}` : '数据库已是最新');
      } finally {
        await handle.destroy();
      }
      return 0;
    }
    case 'seed': {
      const config = loadConfig();
      const { ctx, handle } = await openContext(config);
      try {
        await migrateToLatest(ctx.db, config.pgSchema);
        const r = await seed(ctx, { adminPassword: config.adminPassword });
        console.log(`新增单位 ${r.orgUnitsAdded} 个；${r.campaignAdded ? '已创建 2016 年考核批次' : '2016 年考核批次已存在'}`);
        if (r.admin?.password) console.log(`初始管理员 ${r.admin.username}，初始密码（只显示这一次）: ${r.admin.password}`);
      } finally {
        await handle.destroy();
      }
      return 0;
    }
    case 'user':
      return userCommand(rest);
    case 'import':
      return importCommand(rest);
    case 'backup':
      return backupCommand(rest);
    case 'restore':
      return restoreCommand(rest);
    case 'audit':
      return auditCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(HELP);
      return 0;
    default:
      console.error(`未知命令: ${command}\n`);
      console.error(HELP);
      return 2;
  }
}

void parseArgs; // subcommands parse their own options
main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
