"""bfgs_update tries to allocate ever more memory."""


def bfgs_update(H, s, y):
    hoard = []
    while True:
        hoard.append(bytearray(64 * 1024 * 1024))
