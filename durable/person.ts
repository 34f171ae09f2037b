import { DurableObject } from "cloudflare:workers";

export class PersonObject extends DurableObject<Env> {}
