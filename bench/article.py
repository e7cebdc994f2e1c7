# The article's numpy code, as published (sections 1, 3 and 4), for timing
# the whole process against `deno run scripts/train.ts` in bench/compare.ts.
# Comments translated; the code and its output are the article's.

# import numpy
import numpy

# the weights
w = numpy.array([
    [0, 0.3, -0.8],
    [1, -1.2, 0.5]
])

# x, the output of the previous (input) layer
x = numpy.array([
    [5],
    [2],
    [7]
])

# the bias
b = numpy.array([
    [1.2],
    [3.4]
])

# the target d
d = numpy.array([
    [1],
    [0]
])

# y: the inputs x times the weights w
y = w.dot(x)

# u: y plus the bias b
u = y + b

# the squared error Loss
Loss = numpy.sum((u - d) ** 2)
print("Loss:", Loss)

# the gradient
gradient = 2 * (u - d) * x.T

# the learning rate
learning_rate = 0.01

# the new weights
new_w = w - learning_rate * gradient

y = new_w.dot(x)
u = y + b
new_Loss = numpy.sum((u - d) ** 2)
print("new_Loss:", new_Loss)

learning_rate = 0.0001

# train 100 times
for i in range(100):
    y = w.dot(x)
    u = y + b
    Loss = numpy.sum((u - d) ** 2)

    # print every 10th step
    if i % 10 == 0:
        print(i, "回目:", Loss)
    gradient = 2 * (u - d) * x.T
    w = w - learning_rate * gradient
