import { add } from "./math";

console.log(add(2, 3));
