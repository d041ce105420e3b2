// TF.js autograd needs a gradient config per op, and tfjs-core's Node bundle ships none (the umbrella
// @tensorflow/tfjs package registers them by importing dist/register_all_gradients, whose full list cannot be
// loaded by Node's ESM resolver: Prod_grad imports a folder). So register, from tfjs-core's own ESM files,
// exactly the configs of the ops TfModel differentiates through. The copies share tfjs' global registries.
import * as tf from '@tensorflow/tfjs-core';
import { addGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Add_grad.js';
import { batchMatMulGradConfig } from '@tensorflow/tfjs-core/dist/gradients/BatchMatMul_grad.js';
import { concatGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Concat_grad.js';
import { gatherGradConfig } from '@tensorflow/tfjs-core/dist/gradients/GatherV2_grad.js';
import { logSoftmaxGradConfig } from '@tensorflow/tfjs-core/dist/gradients/LogSoftmax_grad.js';
import { meanGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Mean_grad.js';
import { multiplyGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Multiply_grad.js';
import { negGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Neg_grad.js';
import { reshapeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Reshape_grad.js';
import { rsqrtGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Rsqrt_grad.js';
import { sigmoidGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sigmoid_grad.js';
import { softmaxGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Softmax_grad.js';
import { splitVGradConfig } from '@tensorflow/tfjs-core/dist/gradients/SplitV_grad.js';
import { squareGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Square_grad.js';
import { sumGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Sum_grad.js';
import { transposeGradConfig } from '@tensorflow/tfjs-core/dist/gradients/Transpose_grad.js';

const CONFIGS = [
  addGradConfig,
  batchMatMulGradConfig,
  concatGradConfig,
  gatherGradConfig,
  logSoftmaxGradConfig,
  meanGradConfig,
  multiplyGradConfig,
  negGradConfig,
  reshapeGradConfig,
  rsqrtGradConfig,
  sigmoidGradConfig,
  softmaxGradConfig,
  splitVGradConfig,
  squareGradConfig,
  sumGradConfig,
  transposeGradConfig,
];

let registered = false;

/** Idempotent: register the gradient configs TfModel's loss needs. */
export function registerModelGradients(): void {
  if (registered) return;
  for (const c of CONFIGS) tf.registerGradient(c);
  registered = true;
}
