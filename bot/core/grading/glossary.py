"""A starter glossary of machine-learning terms in English and Chinese, so either side matches the other.

The notes themselves pair many terms (`知识蒸馏（Knowledge Distillation）`) and those pairs are mined at
load time (`pairs.py`); this list covers the everyday vocabulary that notes rarely spell out in both
languages (`编码器`/`encoder`, `过拟合`/`overfitting`). Each line is one concept: its spellings separated
by `|`. Users add their own in `content/decks.yaml` under `synonyms:`.
"""

from __future__ import annotations

GLOSSARY = """
模型 | model
训练 | train | training
数据 | data
数据集 | dataset
样本 | sample | example | examples
标签 | label | labels
标注 | label | annotation | labeled | labelled
无标注 | unlabeled | unlabelled
人工标注 | human label | manual label | human annotation
特征 | feature | features
表示 | representation
特征表示 | feature representation
嵌入 | embedding
向量 | vector
嵌入向量 | embedding vector
范数 | norm
无穷范数 | linf | infinity norm | max norm | 最大范数
低维 | low dimensional
降维 | dimensionality reduction
压缩 | compress | compression
重构 | reconstruct | reconstruction
重建 | reconstruct | reconstruction
编码器 | encoder
解码器 | decoder
自编码器 | autoencoder | auto encoder
变分自编码器 | variational autoencoder | vae
生成 | generate | generation
生成器 | generator
判别器 | discriminator
生成模型 | generative model
对抗 | adversarial
分类 | classification | classify
分类器 | classifier
聚类 | cluster | clustering
回归 | regression
任务 | task | tasks
下游任务 | downstream task
预训练 | pre-train | pre-training | pretraining | pretrained
微调 | fine-tune | fine-tuning | finetune
监督学习 | supervised learning
无监督学习 | unsupervised learning
自监督学习 | self-supervised learning
半监督学习 | semi-supervised learning
强化学习 | reinforcement learning
迁移学习 | transfer learning
元学习 | meta learning | meta-learning
多任务学习 | multi-task learning
终身学习 | life-long learning | lifelong learning
连续学习 | continual learning
持续学习 | continual learning
在线学习 | online learning
小样本学习 | few-shot learning
零样本学习 | zero-shot learning
对比学习 | contrastive learning
深度学习 | deep learning
机器学习 | machine learning
神经网络 | neural network
网络 | network
层 | layer | layers
隐藏层 | hidden layer
输出层 | output layer
全连接层 | fully connected layer
卷积 | convolution | convolutional
卷积层 | convolutional layer
池化 | pooling
参数 | parameter | parameters | weight | weights
权重 | weight | weights
超参数 | hyperparameter
损失 | loss
损失函数 | loss function
交叉熵 | cross entropy | cross-entropy
梯度 | gradient
梯度下降 | gradient descent
随机梯度下降 | stochastic gradient descent | sgd
反向传播 | backpropagation | back propagation
学习率 | learning rate
优化 | optimize | optimization
优化器 | optimizer
收敛 | converge | convergence
过拟合 | overfit | overfitting
欠拟合 | underfit | underfitting
泛化 | generalize | generalization
泛化能力 | generalization ability | generalization
正则化 | regularization | regularize
正则项 | regularization term | penalty term
惩罚项 | penalty term
约束 | constrain | constraint
预测 | predict | prediction
输入 | input
输出 | output
概率 | probability
分布 | distribution
相似度 | similarity
距离 | distance
矩阵 | matrix
对角线 | diagonal
注意力 | attention
注意力机制 | attention mechanism
自注意力 | self-attention
自注意力机制 | self-attention
序列 | sequence
序列数据 | sequence data | sequential data
上下文 | context
掩码 | mask | masked | masking
遮盖 | mask | masked | masking
遮挡 | mask | masked | occlusion
噪声 | noise
去噪 | denoise | denoising
语言模型 | language model
词 | word
句子 | sentence
文本 | text
图像 | image | images
图片 | image | picture
音频 | audio
视频 | video
像素 | pixel
图 | graph
节点 | node
智能体 | agent
环境 | environment
奖励 | reward
策略 | policy | strategy
决策 | decision
交互 | interact | interaction
教师模型 | teacher model | teacher
学生模型 | student model | student
软标签 | soft label | soft labels
温度 | temperature
知识 | knowledge
剪枝 | prune | pruning
量化 | quantize | quantization
蒸馏 | distill | distillation
聚合 | aggregate | aggregation
分布式 | distributed
设备 | device | devices
隐私 | privacy
共享 | share | shared | sharing
原始数据 | raw data
本地 | local | locally
服务器 | server
多模态 | multimodal | multi-modal
模态 | modality
领域 | domain
源域 | source domain
目标域 | target domain
领域自适应 | domain adaptation
领域泛化 | domain generalization
对抗样本 | adversarial example
攻击 | attack
攻击者 | attacker
防御 | defense | defence
平滑 | smooth | smoothing
随机 | random | randomization
初始化 | initialize | initialization
旋转 | rotate | rotation
缩放 | scale | scaling
裁剪 | crop | cropping | clip | clipping
翻转 | flip | flipping
阈值 | threshold
上限 | upper bound | cap
限制 | limit | restrict | constrain
爆炸 | explode | exploding
消失 | vanish | vanishing
稳定 | stable | stability
遗忘 | forget | forgetting
灾难性遗忘 | catastrophic forgetting
误差 | error
重要 | important | importance
可解释 | interpretable | explainable
可解释性 | interpretability | explainability
解释 | explain | explanation
信任 | trust
偏差 | bias
黑盒 | black box | black-box
白盒 | white box | white-box
代理 | proxy | surrogate
代理任务 | pretext task | proxy task
负样本 | negative sample | negative samples | negatives
正样本 | positive sample | positive samples | positives
质量 | quality
多样性 | diversity
速度 | speed
推理 | inference | reasoning
步骤 | step | steps
扩散模型 | diffusion model
自回归 | autoregressive
计算 | compute | computation
计算资源 | computational resources | compute
效率 | efficiency | efficient
数据效率 | data efficiency
架构 | architecture
结构 | structure
深度 | depth
宽度 | width
编码 | code | coding | encode
哈夫曼编码 | huffman coding
比特 | bit | bits
简单 | simple | easy
困难 | hard | difficult
顺序 | order
历史 | history | past
新任务 | new task
旧任务 | old task | previous task
快速 | fast | quickly | quick
适应 | adapt | adaptation
学习算法 | learning algorithm
成功 | success | successful | successfully
提取 | 抽取 | extract | extraction
获得 | 获取 | obtain | acquire
保留 | 保持 | keep | retain | preserve
类别 | 种类 | class | category
组成 | 构成 | consist | compose | comprise
判断 | 判别 | 区分 | distinguish | discriminate
重建 | 还原 | 恢复 | reconstruct | restore | recover
迭代 | iterate | iteration
批次 | batch | mini-batch
显存 | 内存 | memory
部署 | deploy | deployment
训练集 | training set
测试集 | test set
验证集 | validation set
正确 | 准确 | correct | accurate
错误 | 出错 | wrong | mistake
大规模 | 海量 | large scale | massive
特定任务 | 具体任务 | specific task
理解 | understand | understanding
记忆 | 记住 | memorize | remember
复杂 | complex | complicated
稀疏 | sparse
联系 | 关系 | 关联 | relation | relationship | connection
本质 | essence | essential
关键 | 核心 | key | core | crucial
避免 | 防止 | avoid | prevent
减少 | 降低 | 减小 | reduce | lower | decrease
增加 | 提高 | 增大 | 提升 | increase | improve | raise
相似 | 类似 | 接近 | similar | close
区别 | 差异 | 不同点 | difference | differ
共同点 | 相同点 | common point
目标 | 目的 | goal | aim | objective
学到 | 学会 | 习得 | learn | learned
大小 | 幅度 | size | magnitude
方向 | direction
更新 | update
调整 | adjust | tune
固定 | fix | fixed
动态 | dynamic | dynamically
逐渐 | 逐步 | gradually | progressively
效果 | 性能 | 表现 | performance | perform
准确率 | 精度 | accuracy
速度慢 | 慢 | slow | slower
忘记 | 遗忘 | forget | forgetting
函数 | function
参数量 | number of parameters | parameter count
计算量 | computational cost | computation cost | flops
召回率 | recall
精确率 | precision
卷积核 | convolution kernel | conv kernel | kernel
批大小 | 批量大小 | batch size
隐变量 | latent variable | latent variables
潜在空间 | 隐空间 | latent space
重参数化 | reparameterization | reparameterization trick
变分推断 | variational inference
先验 | prior
后验 | posterior
似然 | likelihood
均方误差 | mean squared error | mse
困惑度 | perplexity
时间步 | time step | timestep
算力 | computing power
权值共享 | 权重共享 | weight sharing
感受野 | receptive field
思维链 | chain of thought
硬标签 | hard label | hard labels
小样本 | 少样本 | few shot
零样本 | zero shot
遗忘门 | forget gate
"""


def glossary_groups() -> list[tuple[str, ...]]:
    """The glossary as groups of equivalent spellings."""
    groups = []
    for line in GLOSSARY.strip().splitlines():
        spellings = tuple(part.strip() for part in line.split("|") if part.strip())
        if len(spellings) >= 2:
            groups.append(spellings)
    return groups
