/**
 * The console's one style sheet, served as /admin/assets/console.css (the CSP allows no inline
 * style). Kept with the server so the sign-in page has it without the front-end build.
 */
export const CONSOLE_CSS = `:root{--fg:#1f2328;--muted:#6e7781;--line:#d0d7de;--bg:#f6f8fa;--blue:#1f6feb;--red:#cf222e;--green:#1a7f37;--amber:#9a6700}
*{box-sizing:border-box}
body{margin:0;font-family:system-ui,-apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:var(--fg);background:#fff;line-height:1.5;font-size:14px}
a{color:var(--blue);text-decoration:none}a:hover{text-decoration:underline}
header.bar{display:flex;align-items:center;gap:1rem;padding:.6rem 1.2rem;background:#24292f;color:#fff}
header.bar .brand{font-weight:600;font-size:1rem;color:#fff;margin-right:auto}
header.bar a,header.bar .lang{color:#d0d7de}header.bar a.current{color:#fff;font-weight:600}
header.bar form{margin:0}
header.bar button{background:transparent;color:#fff;border:1px solid #8c959f;border-radius:6px;padding:.25rem .8rem;font:inherit;cursor:pointer}
.layout{display:flex;min-height:calc(100vh - 3rem)}
nav.side{width:13rem;flex:none;border-right:1px solid var(--line);background:var(--bg);padding:1rem 0}
nav.side a{display:block;padding:.4rem 1.2rem;color:var(--fg)}nav.side a.active{background:#ddf4ff;border-left:3px solid var(--blue);padding-left:calc(1.2rem - 3px);font-weight:600}
main{flex:1;padding:1.2rem 1.6rem;min-width:0}
h1{font-size:1.35rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:1.6rem 0 .6rem}
.crumbs{color:var(--muted);margin-bottom:.4rem}.crumbs a{color:var(--muted)}
table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem;font-size:13px}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid var(--line);vertical-align:top;overflow-wrap:break-word}
.scroll{overflow-x:auto}.nowrap{white-space:nowrap}
th{background:var(--bg);font-weight:600;white-space:nowrap}
td.empty{color:var(--muted);text-align:center;padding:1rem}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1.2rem;margin:.4rem 0 1rem}dl.facts dt{color:var(--muted)}dl.facts dd{margin:0}
.badge{display:inline-block;padding:0 .45rem;border-radius:1rem;font-size:12px;border:1px solid var(--line);background:var(--bg);white-space:nowrap}
.badge.ok{color:var(--green);border-color:#4ac26b;background:#dafbe1}.badge.bad{color:var(--red);border-color:#ff8182;background:#ffebe9}.badge.warn{color:var(--amber);border-color:#d4a72c;background:#fff8c5}
button,.button{display:inline-block;padding:.35rem .9rem;border:1px solid var(--blue);border-radius:6px;background:var(--blue);color:#fff;font:inherit;font-weight:600;cursor:pointer}
button.danger{background:#fff;color:var(--red);border-color:var(--red);font-weight:400}button.secondary{background:#fff;color:var(--fg);border-color:#8c959f;font-weight:400}
button:disabled{opacity:.5;cursor:default}
form.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:flex-end;margin:.4rem 0 .8rem;padding:.8rem;background:var(--bg);border:1px solid var(--line);border-radius:6px}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted);gap:.15rem}
input,select{font:inherit;padding:.3rem .5rem;border:1px solid #8c959f;border-radius:6px;background:#fff;color:var(--fg)}
.notice{padding:.6rem .9rem;border-radius:6px;margin:.6rem 0;border:1px solid var(--line);background:var(--bg)}
.notice.error{border-color:#ff8182;background:#ffebe9;color:var(--red)}.notice.ok{border-color:#4ac26b;background:#dafbe1;color:var(--green)}
ul.tree{list-style:none;padding-left:1.2rem;margin:.2rem 0}ul.tree.root{padding-left:0}ul.tree li{padding:.15rem 0}
.muted{color:var(--muted)}.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.pager{display:flex;gap:.6rem;align-items:center}
.signin{max-width:26rem;margin:5rem auto;padding:0 1rem}.signin h1{font-size:1.4rem}
.signin form{display:flex;flex-direction:column;gap:.8rem;margin-top:1.2rem}.signin input{width:100%;padding:.5rem .6rem}
.signin .langs{margin-top:2rem;color:var(--muted)}
`;
