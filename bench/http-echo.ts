// The baseline for the HTTP bench: a bare fastify route that parses a JSON body and sends it back.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/echo', async (req) => req.body);
const address = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(`listening ${address}`);
