print("bordersim")
