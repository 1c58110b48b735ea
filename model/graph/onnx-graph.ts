// An ONNX model as a protobuf message (onnx-proto's generated code), with the few graph queries and edits the
// load-time rewrites need: who produces and who consumes a tensor, new nodes, initializers and inputs, pruning of
// what nobody reads, and writing the model with its weights left where they are on disk. Knows ONNX, not models.
import { readFileSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { onnx } from "onnx-proto";

export type Node = onnx.INodeProto;
export const DataType = onnx.TensorProto.DataType;

/** Matrix products a linear layer is exported as; the first input is the activation, the second the weight. */
export const matMulOps: ReadonlySet<string> = new Set(["MatMul", "MatMulNBits", "Gemm", "FusedMatMul"]);

export class OnnxGraph {
  private constructor(
    readonly model: onnx.ModelProto,
    /** The bytes the model was decoded from: raw weights are views into it. */
    private readonly file: Buffer,
    private readonly fileName: string,
  ) {}

  static read(path: string): OnnxGraph {
    const file = readFileSync(path);
    return new OnnxGraph(decode(file, path), file, basename(path));
  }

  get graph(): onnx.IGraphProto {
    return this.model.graph!;
  }

  get nodes(): Node[] {
    return this.graph.node!;
  }

  producer(tensor: string): Node | undefined {
    return this.nodes.find((node) => node.output!.includes(tensor));
  }

  consumers(tensor: string): Node[] {
    return this.nodes.filter((node) => node.input!.includes(tensor));
  }

  isInitializer(tensor: string): boolean {
    return this.graph.initializer!.some((init) => init.name === tensor);
  }

  /** An initializer, a Constant, or an Identity of one (exporters alias equal weights that way). */
  isConstant(tensor: string): boolean {
    if (this.isInitializer(tensor)) return true;
    const producer = this.producer(tensor);
    return producer?.opType === "Constant" || (producer?.opType === "Identity" && this.isConstant(producer.input![0]!));
  }

  hasInput(name: string): boolean {
    return this.graph.input!.some((input) => input.name === name);
  }

  opset(domain = ""): number {
    return Number(this.model.opsetImport!.find((entry) => (entry.domain ?? "") === domain)?.version ?? 0);
  }

  useDomain(domain: string, version: number): void {
    if (!this.model.opsetImport!.some((entry) => entry.domain === domain)) this.model.opsetImport!.push({ domain, version });
  }

  addNode(opType: string, inputs: string[], outputs: string[], attributes: Record<string, number | number[]> = {}, domain = ""): Node {
    const node: Node = { opType, input: inputs, output: outputs, name: `ghost/${outputs[0]}`, domain, attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)) };
    this.nodes.push(node);
    return node;
  }

  addInitializer(name: string, dataType: onnx.TensorProto.DataType, dims: number[], data: ArrayBufferView): void {
    this.graph.initializer!.push({ name, dataType, dims, rawData: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
  }

  addInput(name: string, elemType: onnx.TensorProto.DataType, shape: (number | string)[]): void {
    this.graph.input!.push(valueInfo(name, elemType, shape));
  }

  removeInput(name: string): void {
    this.graph.input = this.graph.input!.filter((input) => input.name !== name);
  }

  /** Sets a graph input's or output's shape (dims as numbers, or named dynamic axes). */
  setShape(name: string, shape: (number | string)[]): void {
    const info = [...this.graph.input!, ...this.graph.output!].find((value) => value.name === name)!;
    info.type = valueInfo(name, info.type!.tensorType!.elemType!, shape).type;
  }

  removeNodes(doomed: Set<Node>): void {
    this.graph.node = this.nodes.filter((node) => !doomed.has(node));
  }

  /** Drops nodes whose outputs nobody reads, then initializers and value_info nobody reads; keeps graph inputs. */
  prune(): void {
    const outputs = new Set(this.graph.output!.map((output) => output.name!));
    for (;;) {
      const read = new Set([...outputs, ...this.nodes.flatMap((node) => node.input!)]);
      const kept = this.nodes.filter((node) => node.output!.some((output) => read.has(output)));
      if (kept.length === this.nodes.length) break;
      this.graph.node = kept;
    }
    const read = new Set([...outputs, ...this.nodes.flatMap((node) => node.input!)]);
    this.graph.initializer = this.graph.initializer!.filter((init) => read.has(init.name!));
    this.graph.valueInfo = (this.graph.valueInfo ?? []).filter((info) => read.has(info.name!));
  }

  /** Writes the model to `path`. Weights stored inline in the source file stay there: each becomes an external
   *  reference (offset, length) into `sourceLocation`, the source file's name as seen from `path`'s folder, so the
   *  rewritten file is small and the weights exist once on disk. Weights already external keep their reference. */
  write(path: string, sourceLocation: string): void {
    for (const init of this.graph.initializer!) {
      const raw = init.rawData;
      if (!raw || raw.byteLength < 1024 || raw.buffer !== this.file.buffer) continue;
      init.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
      init.externalData = [
        { key: "location", value: sourceLocation },
        { key: "offset", value: String(raw.byteOffset - this.file.byteOffset) },
        { key: "length", value: String(raw.byteLength) },
      ];
      init.rawData = new Uint8Array(0);
    }
    this.sortNodes();
    writeFileSync(path, onnx.ModelProto.encode(this.model).finish());
  }

  /** ONNX wants nodes in topological order; the rewrites append theirs at the end. */
  private sortNodes(): void {
    const ready = new Set<string>(["", ...this.graph.input!.map((input) => input.name!), ...this.graph.initializer!.map((init) => init.name!)]);
    const sorted: Node[] = [];
    let pending = this.nodes;
    while (pending.length > 0) {
      const next = pending.filter((node) => !node.input!.every((input) => ready.has(input)));
      const placed = pending.filter((node) => node.input!.every((input) => ready.has(input)));
      if (placed.length === 0) throw new Error(`graph rewrite left a cycle or a dangling input at ${next[0]!.name} (${next[0]!.input!.filter((input) => !ready.has(input)).join(", ")})`);
      for (const node of placed) node.output!.forEach((output) => ready.add(output));
      sorted.push(...placed);
      pending = next;
    }
    this.graph.node = sorted;
  }

  /** External data files the model refers to (locations relative to its folder). */
  externalDataLocations(): string[] {
    const locations = this.graph.initializer!.flatMap((init) =>
      init.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL ? (init.externalData ?? []).filter((entry) => entry.key === "location").map((entry) => entry.value!) : [],
    );
    return [...new Set(locations)];
  }
}

function decode(file: Buffer, path: string): onnx.ModelProto {
  try {
    const model = onnx.ModelProto.decode(file);
    if (!model.graph) throw new Error("it has no graph");
    return model;
  } catch (error) {
    throw new Error(`${path} is not a readable ONNX model (${(error as Error).message}). The file may be truncated; download the model again`);
  }
}

/** Integer attributes: the only kind the rewrites set. */
function attribute(name: string, value: number | number[]): onnx.IAttributeProto {
  if (Array.isArray(value)) return { name, type: onnx.AttributeProto.AttributeType.INTS, ints: value };
  return { name, type: onnx.AttributeProto.AttributeType.INT, i: value };
}

function valueInfo(name: string, elemType: onnx.TensorProto.DataType, shape: (number | string)[]): onnx.IValueInfoProto {
  const dim = shape.map((size) => (typeof size === "number" ? { dimValue: size } : { dimParam: size }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}
