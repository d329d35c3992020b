// The baseline of every benchmark: a bare Koa hello-world on the same machine, in the same run.
import Koa from 'koa';

const app = new Koa();
app.use((ctx) => {
  ctx.body = 'hello';
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
