//! Loading of private keys and PKCS#12 files from the test keys under `tests/vectors/keys`,
//! plus encrypted variants of key B made with OpenSSL 3.0.19.

use std::path::{Path, PathBuf};

use aws_lc_rs::signature::{self, KeyPair as _, UnparsedPublicKey};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use cybersource_tms::keys::{
    DecryptionKey, KeyError, KeyErrorKind, MIN_KEY_BITS, Pkcs12Identity, RsaSigningKey,
};

const PASSWORD: &str = "test-pass";
const WRONG_PASSWORD: &str = "wrong-pass-7f3e";

/// Key B as a traditional encrypted PKCS#1 PEM with AES-128-CBC and the password `test-pass`.
const KEY_B_TRADITIONAL_AES_128: &str = "\
-----BEGIN RSA PRIVATE KEY-----\n\
Proc-Type: 4,ENCRYPTED\n\
DEK-Info: AES-128-CBC,CAA7E1DB3108DC6FECB8249F80769EB3\n\
\n\
tPsWaLf4bE1Qqe/qcOEu0ef0Vfa7USHZalei2WmmtYqDjnBC4O6VA/9owvyEI8Mh\n\
FKOiAkUxMvzK8fhQE3AhfMvSqSzrVfkzZo+kfAKhzXwMFQdPYDIavV4ryEqmKcVN\n\
knHfG78i+DEhEOwsKKEef7TS0lad9/+pAiOj4OynufqG3CMNstWTdpDCvbnusYv1\n\
Ne37shSuniTxiGJZlcR2ptnPl/h7cGcMZoo+J8j3cX2GNYjbpaCXy5Xr3QkccZrW\n\
93QIpJe+dHmd6NP7n4Ax3CG90zWmwRMLzowuOgLSFlYC7WdSoUpdysrRu/YBM83V\n\
NG6VoFCZS+jiH77UIaWoVCiF6Jqx6L74240dsX9L48Ag0qyeAJt+AKGcAzyL2HXw\n\
Su6Ym7/h7frhyA2fyakC0B3scgqRPWdkCBBfHe7M6oNl1qecgGmxl7lohlehjUjG\n\
2ovlNtGG5eINz23srNujhESLqFjteVPDMhdzoxlvQ+yeNZOV+hR0egd/lfGbguyG\n\
cAq3O2y+wnlLmhfxSY9PpOyKCUKAYTNevgxfofy8HEcCV5PtVvsd/xtxuiAAwsDo\n\
nhd/g+K/nWNKJK2Oi0sW3G1uubhoIQp4bC5sjRJULT/Gx+/BJEb7L15GfeXc2wxl\n\
+BfihKfRB74MGPVGQg+DjXpvnUWFb9fsGwFI8CKPscVAZk0k+MUJ6KokC1G/wlzn\n\
64DBcaGXErlI7MQMTZRA9vDJwyv9E5I9eJ1oz5nRyTUSmC1iWdAComSZvhfk/4bx\n\
n7mcQvJK5yO/DB6EwBvcZ6ijS7KlrTx3mYIPqL+uF3mE9llCwVyaXwzsEw2USkJr\n\
G86WjoX/MccATbMxFHXDOn/k3p8VfsoI1z7kdnxEwdZqGxbgHBeD4hToaK0WqsxA\n\
wwQ6O417RhRraBRTFUNfjVDsFbB9vef0ORfSiWvA+Hb4VNVj5e7Q9Ds0bd8mtVHa\n\
VwyO/G73FrIfc/fuLu1/g18QOuskh81WXUorYs+afU5w75ikGVDm8iVkWEujyuOy\n\
BVSEV+LHKy4+0NTLFm0UwkbX5lCjM+kIWGebqt0bgEfSAzmFD5MR4AkXds55SSXr\n\
K4BzsZR1X8GVIUtoi1CzjvFMS//tx+762nFD2+cu5UNH3WrMlEUSWRiTQFLRzd8r\n\
VdxLhU0iKjBZKFafM8m8yZD5H0OYgBaFGdm6UEBpYSgDw7ld2AN56SU6Zw9W4+Uq\n\
ID8bIAY8VGtZDUnJUsmVJfNrmKkWEl3A5FOHV7iH9o7/YaIxXZQSYNsFgbKveV7y\n\
su+30TjMvHkyJ8HdkChzzPBw9ck7tcHQZyKhlE9qMymyuphwiCeY4afMYaDc8xI5\n\
zhL8BCJeSCAQATPpLNItA0nutHHl3wk4vC7khcQXtsxUw8ExQuB3VT1CRj/J2/cW\n\
NT4lIH3L7cxUZJSa78BMqUWghF6jiE0HMf2gDRI+Ev5uQxdZaiYb3I7xtlEv4Y4Q\n\
egA8fmKx1Ca8E7EU58oPSqvDcc8H8GtMWQJHCmJHBQPj3UEAArgyxlkWayQDPbBn\n\
fKVs19obtTtOtS0Foe+pF0pfI/ZRgckA6V/jyVPhRQ5hLOzD+sORrfseHdmXU0x9\n\
-----END RSA PRIVATE KEY-----\n\
";

/// Key B as a traditional encrypted PKCS#1 PEM with AES-192-CBC and the password `test-pass`.
const KEY_B_TRADITIONAL_AES_192: &str = "\
-----BEGIN RSA PRIVATE KEY-----\n\
Proc-Type: 4,ENCRYPTED\n\
DEK-Info: AES-192-CBC,74A7DED19A1765AF157DC4DB7EF758DC\n\
\n\
vrXB1Cxzwqb+l71p0iJi2QPQLBmp5ML9gaQPWhWCOgAxjQ1zR9YYsWFOtPMsYXcL\n\
myzAM5NM1E2XAFtOt+Wh4GfRDdX1FN4LanUp6Q0LC8Ol1saYsH98hT9U9WQeQbvl\n\
MQIR1v3cvGrS4XUu9L1JTHWD0NhIHi60Aacb95AAmbnYeKlO2TSjzN8FsXQ69L69\n\
1DjHIERDjMDnYAl5Xe7mdtFESsI5sVP8wF3F1LekbVHI45LHuQivK50X04dIuTdw\n\
6R2IFRBgERZ1KYAx/2PoVGPbWr+zWL2E8uRdPCjz8eviXjGzH7+HMWMdteQC8Wut\n\
AIHpyJrgaxNJa1x1u/mGj39akj1ylloDz4INWAjyARPw5saWkmM4AUp6+nP1L8C5\n\
o3oh1VUAHK1hrn86fYvLSbqkOrnKVTH1JczDzIkkka0ZyzbNfK9Np7d4SSX80GFR\n\
BgDy+gGcbWHKRmGFUrDEVFPAFFWo2o+D+Oi6S7Dzo591BSjo0Dlc0HcCcbo81wct\n\
SbLVGuASJ6EiyUJbNTPF7ghbOK0+aPe/EDIorNPSdKiAp0Xurt5S1ow8T1MQfgIE\n\
5sbwmuDMppQhgKbqGPunzNOMa45Q7xgmMmr5VX8+JVNX7NIs6PZYwvFik839p5qT\n\
vpcrwUbhjJDH7hxEr5FJOGEeCFUA3Ea41Yqx13PzrMijj/TVUOBGthhZNwGWgypp\n\
NvcZiila35M9VPTsEehrFOuiTKje18VvVfUbhYihrhD2OM3RNKoQDrNUjAuiNxET\n\
UuCtqs0tlzPdtVX+aG/pcsIMtK+GtXtT+6Y5kZwlIFHyjDbJ8yCzpkq45xE5XVDI\n\
wo6q6TZxvhZNmylecrVlgHoxTJRewMdSD9OM7kgWkWDX8TA4Hvffg/ozNIcZKisc\n\
znXttPkIEHqOyBZL2OBkGX/7MGIaxAqVx2ZOQKZgo9eZ9MOeIW3Xv6wdNYCXN+nI\n\
pLg8JMF7BaY9v9Y3IE6eKAsRM3Lgs4+gOVx0C3uCD/Zpj8HtMK4I0X64Yo+p3L+g\n\
pSEnK4QVE19A3ScRm2cE3qw9H6Rf04GPN9Id6Ipx606H+Cxjv4AIsz3Io82GAFjO\n\
e3GsuyDsv17nh+UVqCVni8Uxdy58Az9UUE+brYrUq7YU9/CFJC/1/UGrMqIim2dF\n\
Sw0tCldBOL/W7rkx1wSnA0n5KaFfztTORrZ0HK1ycj/HTaY7kK0/cArcYHmfGo8H\n\
5PaXIVjecwhwlUUvEeljSrfsWId+MkH5c5SQvl9gj5u+h/0iCno7B2473uSOP5kP\n\
HnCF+pHLJ7oB34UPyswAkVuzVfoZ5hjdDJUsdDbAKmR5xSKB/c0pg4kwnWaJTYAr\n\
ZgLLqYEG3m/plrw24PDxycMJ0gKo+v3gFTQtFFnb8pdJ4NQj1Wr79Z/xmUS4Dscv\n\
vYDU/yxfoMBiYihP2QCA/Fw7U7VtZnqD4XoGwtafTN11heDaspWr4hIObmidXUja\n\
GuQV3PLH0vjdn0ygOUWBVrh56FvfWyzh/V4dnpnbGw/gDIPXPYu+cBdJZmQgwnHQ\n\
OJpSvOFBPI4bl9FJUlurE4fB/OPdiUBWI/QR7QiW1vtMzB8Myjz/vF1WAON8JD3J\n\
-----END RSA PRIVATE KEY-----\n\
";

/// Key B as a traditional encrypted PKCS#1 PEM with DES-EDE3-CBC and the password `test-pass`.
const KEY_B_TRADITIONAL_DES_EDE3: &str = "\
-----BEGIN RSA PRIVATE KEY-----\n\
Proc-Type: 4,ENCRYPTED\n\
DEK-Info: DES-EDE3-CBC,4478B6FC171CCF6C\n\
\n\
GCSrJuVXm8/v/V8/fgk/3cXNg2oR64SyBr0tv0he/rGl2wmUIiwfMnCNaz6b6Hnp\n\
hFiZabJERYGce7ChLyny3KIzbcz66XbcpOuDkqsaqHsxz6QvNciVOxndEUkw9TN1\n\
OgTHqwM90omUg5TXtZzgZFMsXqbKm6pHmOMEDPyzzP5ITSsM5MqY+Rw5UXUMp/e1\n\
PPvNADvWSzgSgOirqaJcUqNC4XfB5edVr8oxtxNsGAutuIDdDS05zcZPokemi0xO\n\
VK0l2jL3BSfrryahfZIpu1B6UVnLjjSJuC1CMp8eET6Qjsr3JdBBJOHQW2Wd7mqv\n\
B78hgZnu4xwt41BO4yf+PEGT4++vZTlpFZkkCjiTOq59+QSeV3v07u0jDEZQrQ9g\n\
q1Y2PvYS4RUkcIM4so9L+rdrdPkHbyksjDQ6tDDHugnGhH5yeCBGf7Xt8RB9TwFF\n\
olCzyg7dUOKuQyGUPkSy5Fy7YZ6C0f36T0rIVPY8ncreJQTXuAtaP5RZvCRYDpH7\n\
RGVO9/krJJdHxAvziknT1bWo2XODWHkwBpjY6DM9qD3/c61NfvOZBcoEWqyh5mjC\n\
dF7uBSotQC8NFMvNXJYU6e7d2FHGiFt8o4IozSY5cMatA6eP8Ld+13CH9L/l10ti\n\
Xs1uCyoAAFvxPQDwmRKLKg89ncAVQQ2zBesl2QfK/1LppDVx5uFYDN9w2IfeowII\n\
FzfqGEBdzRF6BstAMzvfXgYAxLeq/phB+VJjNpstoD0u4/9D/riBWVqL4qJzuTgZ\n\
NFJqxEsssXbs3HBp50Ek1TM83+STZgB1AqdDpw1+ojg+rTTtyDs4fQDA+/vbEhLG\n\
U668eP3RmUG0oHiC3FvdeaZu8xDbS/Sux6UwEjbgHycaSuAcCc226Yqzzh79BzEx\n\
xnbjbWuJBr4gAv1S2UHc9STsTYHvoaHze1EpkIo43gFJ1Ie0d1EmBIEF/vMbhBSH\n\
gMBGiX9C5HV7zAznNr5/PXCK6959BElkWNptRgMUd7+uQnVxcfzAJA6jP3RsUisG\n\
blr6UNU+W9ylWXRs0Igt019UdOZhOdc0cE5ZIO7UyfOrRsfhQlOcrl+/XDafbBpX\n\
z8pBqlpNbF2NYcld5SMeKleWKQ/dpCdhASWzMBM77hW3bYTI6KIrViczLFLrmiSQ\n\
nqJsAEEtuZchsoIu4XkRe1VNAaw9cLAd69YN9DgPbzvoW43NGp7WPi1Ul0eXWdP6\n\
v33BwdiPMNu/vB152sSLLQ2AZhFEdmnap1apOzqPfaF68DdvI5EwwmewWC2sdWPj\n\
CaGlBzThqrYd7BsYijqKvtxEhcaxH5YxDnULU8JoYXekUYaXxUE8UOV7KJfZ18gT\n\
7nEVtc1X5rjnnnthWldY0f1Z3UwpnPRbhWaEwT1r9s9Wh/V1NL7thJURSa+LIY5v\n\
lE9BrxgE7qZ2wVMz5c0BRxHRCcJATl1c80146uJVCulwRmNnGQ3EAuxJNlrGHPmd\n\
VV6le5zXlJ312Zi6sz7SGWR1i/DbPd0IcqvTmZyGkHq++FaeXCfgj7aGvz6DL5b6\n\
SOM5fxP9iMym3qi7/pTWRDoy+em+xOCF3it/xbOmHbNd4zpERocDfUf5yCaLQv6A\n\
-----END RSA PRIVATE KEY-----\n\
";

/// Key B as encrypted PKCS#8 with PBES2, scrypt (N = 16384, r = 8, p = 1) and AES-256-CBC, password `test-pass`.
const KEY_B_PBES2_SCRYPT: &str = "\
-----BEGIN ENCRYPTED PRIVATE KEY-----\n\
MIIFJTBPBgkqhkiG9w0BBQ0wQjAhBgkrBgEEAdpHBAswFAQIufo+u64/tOUCAkAA\n\
AgEIAgEBMB0GCWCGSAFlAwQBKgQQQJa6J2ipagooprgeQnchNwSCBNAc1pwDYFWm\n\
ZNHyD/TktzuY2YRphWa2x5HrvPOsHn02Vhj/xrC4iXnVrqBNNLNScn6lCtZor9Rr\n\
qaQzAfV0Ky332E2pu7YT3Iy50IHccrD6Aq8fV5JVTHcYj9OSbyVxYGgxbNoJrFcr\n\
q0F+5oxBbGCn0IjzGPPi0awqc9VxCI+2qMewPOv9RknNjHRd/wYcktq8HUCUSzwU\n\
PuXU52uUbZfMvAutUZCBLtedO13x5CCmUnfv+rbjj5ursG55FKv0hrLPni+JlHG0\n\
bMNcCYfZDDPUheESOkvD4iR/OB4jorzXwy5ofpIwGWrp6kvXrEyeQBfInQat6apk\n\
KP/ZDDt+NOTnuiBFALy3kUg4BQxDF+Ku0kCTv0mWoEVakon3tx66ks35G3RN/0nK\n\
bJ9zdoLvF4b1hzLDHE9qDoGy3OVjCUX3ptEpGnJQyg4UvZNeSycXU+Fr9d7uxXPn\n\
sdR8OyIqn7yACWUTry1mNqt1MBtOQNhGwbiKjyVp+/1M7xEkEHZuLiZ5/WoCidl2\n\
8dOj3w3UPQ5h58W8QdLR5m3ie3rXaWuau2awL02tM/Zi2tLrtvvjwRl5t2vXb15F\n\
jzITSamav+uh/5bNnR+inJclX7eylzmyMobf1+vi1ZpQLaxov+6D6NqNKlHgDxJp\n\
n+KJO+PAzr7pHVN+faSvix1bTtEzzHUmiZheCvOkImyTpJXSr3rzXBdfjdhQX1IC\n\
ZAjdqpMW9RLAvy5M7+lallW9F8FMl/Vwd8opk9b96/jsLB4JtBwByyckr2RinZF7\n\
F1x/qJk7hmQ4/2NN2BomOdpHx5aCvMkk7X89DhZ52F6B/voJXQ0Ne8TFSa+KgQKC\n\
XT2kx3jKZWfzi9+u3DqF2dEJA1V9tKbDovL5s4WBjIzuqGmvTxApJC1huQi4cft3\n\
Z3WSXLZbZcmvQx6Y+Tx17IM418ZTp06dOufDNQMPjo8UpZ5JXWXgPaMkj/TivAHu\n\
LAYdml1JUYbImJufCW4fIz9zDrZCwAKQO1xhlBlvdrkOimAduCJLYyrat3Li8P9F\n\
n8UG5lrAS4+sLaFMKr5G90uMvYvNTt5zDvQaQJP2A0bm17B1Ku93gYd+Hm1du6xJ\n\
7JSFeBY8DoEtuBXRy+E5ojZMKPCuZl9bZeTxgIbI/6YHFO2IuatUn7X4UmnOSmRg\n\
KvP0a8XgQqX0/RUBmCTupWGVXLugJrptz6f74x1S3AqoMc1cCOvqmmPdwbKxAvWs\n\
F10Fng2hMDmxviTYwzdRBIt8IoN80Q/AF9QaJiD/QL9Hbhdvch/Z9KTTEog32iCU\n\
76NMoNxfSo6KfZRQsz6X6upzkVRYltkw/qPVdAreYlLbpOboJVMUKENyaF+Cg/O1\n\
eD3aS7TloIfPSryYcyJFWpU4GpYGafAQQhooRAx5YltItvSlz4i71bVOVskfjPmj\n\
cyjt/fn6eAgQS26En/AYXmpDi/glSCDOZVfPpQSBwH95vh7os6Vb4CzyGNcJPOFL\n\
tqP7SVVA/Jx8ioU295VnbS7bQAgtGkMUxMAwRjN6CSCutK4gNwGZZ9kLbKw2TwgT\n\
rStynoH/9bFHXKM5l5PIJzC5tWjQ4/yrv0LSyZ/VCJuNGebGhAEKD/iYNQbu06Ji\n\
6SlzL1BxUUzubtium4JgCQakxCGTgDJiMQ==\n\
-----END ENCRYPTED PRIVATE KEY-----\n\
";

/// Key B as encrypted PKCS#8 with PBES2, PBKDF2-HMAC-SHA1 and DES-EDE3-CBC, password `test-pass`.
const KEY_B_PBES2_SHA1_DES_EDE3: &str = "\
-----BEGIN ENCRYPTED PRIVATE KEY-----\n\
MIIFDjBABgkqhkiG9w0BBQ0wMzAbBgkqhkiG9w0BBQwwDgQIzpWPViXlyuQCAggA\n\
MBQGCCqGSIb3DQMHBAipf6A+/8hUuQSCBMgQJedsoJwYPJpLON9aXZSNqOV19/6P\n\
dgcqsTGpyDPqLY1nCtahrLAbkRg7181h6jfM0E/W4km02ZXn9kqJFspOzmEPB+hn\n\
n/X8iEKHGYvy8YgNqEmWwYQ802rfeS5ka63D3XLKlAPJvLmXfPkVhc0oH0dpReQ9\n\
8RmDyaizCbVUipqMoFBpea+uW6cYaU6ZVNNYUA202n0Vc4HygF4/zsx578+FbjNo\n\
yTlimwfQNEqzAGF/xLHRNrzVX9znVn2fdZkAujuaynQ/MjQ+DPrcVMoM6l+3OTY0\n\
Xe+Lbz+fPJqTzhXjcqjOoZWKKWjBAJvk+2UhhktvnR3BXTHp5NvEoRPdkZo63Y4F\n\
B2GzDJqNXdlsKMgxDEUovpRDU5FlVBAIBMzop5XgrIXXw1hDkNlFRMlA9XegoEk+\n\
15AKC2DuwieUi9KhJ9eB9acA5gXN+Ha0A9kDJdTTjLPI7nu1EI+jTo3+/gWPy0NE\n\
SbgknnWAxFdKgMlJ6X9ZzRLGytoSBGLMJqAV37QaJaV6PkbrCqsaebva0VKPvmhi\n\
EXpVa60ckYMEbv5t/4wGpTYT4n1OFd3iEKVcPJuhu51p5QSzbcb1652w0J43BHnf\n\
P7X3REWWMIsyEm1y+kiXGD9jEw/8cpXvrvUrgjR0Rr9JmwDY43odJ/XUZsQ0Z9jd\n\
moUd53fDmBpLrZZEqVRpHwJqgKW331ubfSO0N4CHjQePuacFBvahHwofRkd6Ybvc\n\
fvcYA+JR1pDc/Jb2B47/V3io/ksT+NMq+FdttxIJFg2YxMcLxPNMxoH//pOtirAZ\n\
NmUXdhj218oLoc805AyLi+bpvs85G2t1NWdZ2TvOcGcLLvQ/agFDoFd0MLb/MEpY\n\
qo9eRad5iEm76ThSIHm7yZgXRhbk2ZsDiil2qf48RjCiY8mW2yIruXDf7xDMmWgp\n\
WzRWh1ItFuaiFk5bv6peVEWOUVULn8W4+kKBuY9iygnMs2qSKm7lz/u5HpMaJ9DZ\n\
qB0A19XgmO0w0pkEDjk+1DwWjYlAE4jH3GQ97FiV2lv0KoCBhTHOn6JAVk/gwJq5\n\
qRe3TGG5mGAaGNxjZ+847Tslp7HfS5uIJS8mgC4Y+JtaY9ugojOIemcPPzZD+Yc4\n\
CqlMDE6ZWPhskWD58m+qCF5/aEpFx/dJBBJCFQJSTr87ulK3PniSVCb07NL36HGa\n\
odCbRUXhM6MvX02OxnS1c92xSKKLtxvKHuxqvjJDEN8lKuz9BkYFoSc7azkfxFD4\n\
LpTNo/mRaEMyONtFIKC1KTmrZu+hHcJD7EEcGqI3AlcZE6Sh5wv5TTjtjOlRHP9Q\n\
rdjK7rPlWY4JTg1Wwa4+Uoel4TcKeb7guyrupeEc3nJyygl8nvGzblin6uJ6Xudv\n\
Tvm/eeuG6wvdlbPcczlzjaaJlh4ZLFYRCd1R18h/GoLG+K1QgtGbEhakBk+66EgZ\n\
cDcFUrk1UzaCnkd3r2vKzNeFtLacdLFrwRSJcqYLBigfqDqxzEzrH9qI9Q/DieoP\n\
jn6PMge3oTvZxVs7R9KZGCykPjIJNHGdRErG5nNnb9I6sGTUOzhEceVXOKM131PR\n\
et3IXEePl1TEF5Xgou1ViK8D1PADeKTMwuK4WpY5lMjVOxAITEWyE/CrkRk1N/QA\n\
j0g=\n\
-----END ENCRYPTED PRIVATE KEY-----\n\
";

/// Key B as encrypted PKCS#8 with the legacy PKCS#12 scheme `pbeWithSHAAnd3-KeyTripleDES-CBC`, password `test-pass`.
const KEY_B_PBES1_SHA1_3DES: &str = "\
-----BEGIN ENCRYPTED PRIVATE KEY-----\n\
MIIE6jAcBgoqhkiG9w0BDAEDMA4ECD4UXgOTTqU7AgIIAASCBMjMLSf4yjzK1V1m\n\
uprS9qqUdRCcsOrUliY2N19yYUDK2tqYZVeWVL33zTYa36e2yGlTtng5DJ+3PxLx\n\
8apjCj9KR8fJ+saA9HWh9Lw6COj8+mL27fy64xtiqZxuC3I9s2DJcw4tsNF+7E4w\n\
fq5RNJ9g3Gk013Gd1a7A9ol1l81eOaf48uzwmn0HgdkHzHfHDjommQ9KOXVWEKqP\n\
6OS1/9ObiSPgcrPrTLlKEH536P4GQHlfQOcBDIAHdj8iMgzNgQwWrj1AkYoNJpp3\n\
q5qwM/f8QLfIRJi2rTp/Rdq4GIrBz82NaRrV25eJ8EpsW2Jfrmjq1ZckLFKHdiLR\n\
qY7WaKfLBq+4Ai51Omeut+1tW6gnaxn6/NE+mtnwgl0na/afUv0X7nKxw4FcBGmJ\n\
AvcMWDZ5ntYGd1/1C/zMoZHpBVopdArTlgO01fJyTBBJPVAGXFX+ctuZfk47EOeB\n\
JVPYOKMrIcu0XdVdESnTRMI/MY438y+NPZhaLeHe9+WX6dRSNQqiyxO0jsYQLr+9\n\
lYQ1e/ntSJGbSXZIEPviOTF01jQVc2nADKdNYAut1XL50yeCFNdd7nRQgBgk6wUU\n\
n7z+Ppq7NtpmfkHkUrYyOqOOMl4hR84L2YpxncNQy3Vt2vQCp8ga4743ikjOTVl4\n\
kRkWN9M8hT3mwKk8BcPAccLKw9puNs30jR8plLu34s1hd1VS3s/c8T9zVl3Th12B\n\
tsflQPkib060uVfQ6sbHNFoWUv1dsAzZAB/3qOkwylBpO6kP98phJUCIYED+kFZj\n\
F0D+hUXCO14pbSY8hvq0lmMYNUEbR10ABQybvP87g+gDA2SrffLPf6cbaCGAbDFi\n\
sT6ygtt2Obg4EbP7NzzAJ3J2FV30BdmbCs0cvjzEPD7vBidatZvm7Fo/m3vqIKC3\n\
5sEPVg8ncgsBdBQebD6Qm8RhSsgFXV58CzmNhU4EjoEEY0ZzIXf4lQaD1Jq5b9Bi\n\
0XYAEj5zhvqTgbPbsG20kqQOjRuF7QQIWhytomzwv52oZqO4P8M4zA5Ps63vECQ+\n\
FHpU0HVlo6Za0YazxRCMrBJKZLIMdDWvYSxO9Fb0c3HU7c+VX07/YGw0gJLB7k9q\n\
7Ic/EbHxXBvn+jQlu7rEp87IviNWsOcaXtMuWsnMa5dieZ5ZGeaxCHjs18WlBWpS\n\
FJR69M0MIjJ5mVR9uXzS3/+HEYOKId+z3gu2hYmv/G43kj2n0UF5wOMHYGsBIRUa\n\
Re5Y/+nhhoHBJxo2/CGY11dSC6GG+bSJNkhedXUBLbG344FaACASjxpwVHDkb/1z\n\
p22LwzNfcLA/gEJ5CS+mRvyLq5zwnsCogFq4xNFjm4cBtBCaR6BRMpESFGMsU5td\n\
d9uOlXe4mFvVdWjzZZDcD4bvES4SoDvRGjwI2YkvzzyQVCDYG3euGo0y5aw6X3Ta\n\
21QBm7VBmVU60/UwV544aG8SJaHoMK7lGf0l3UChD6vuKp7+EdCv0GvnixKwXby8\n\
+FTFRT7LgUlFpxbDqmghUoRZCxaHhH5MDGqCzpsAY00GSfl5toD4nMOa3qMeGtLj\n\
Havfbc/OwrzpFn7gKd5DG+zcRv8chB+diwLPsKBv5lFQ5KWXaqw/GImUpxgyq+B0\n\
WrKACS4tybR1Xmw0PDM=\n\
-----END ENCRYPTED PRIVATE KEY-----\n\
";

fn key_path(file_name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/vectors/keys")
        .join(file_name)
}

fn read_key_file(file_name: &str) -> String {
    std::fs::read_to_string(key_path(file_name))
        .unwrap_or_else(|error| panic!("{file_name} should be readable: {error}"))
}

fn read_key_bytes(file_name: &str) -> Vec<u8> {
    std::fs::read(key_path(file_name))
        .unwrap_or_else(|error| panic!("{file_name} should be readable: {error}"))
}

/// Returns the DER bytes inside a single-section PEM file.
fn pem_body_der(file_name: &str) -> Vec<u8> {
    pem_text_der(&read_key_file(file_name))
}

/// Returns the DER bytes inside single-section PEM text without headers.
fn pem_text_der(pem: &str) -> Vec<u8> {
    let body: String = pem
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect();
    STANDARD.decode(body).expect("PEM body should be base64")
}

fn load_error(file_name: &str) -> KeyError {
    DecryptionKey::from_pem_file(key_path(file_name)).expect_err("the key file should be rejected")
}

/// Returns the PKCS#1 DER of key B, the reference for the encrypted variants.
fn key_b_pkcs1_der() -> Vec<u8> {
    pem_body_der("key-b.pkcs1.pem")
}

/// Asserts that neither the message nor the `Debug` output of `error` contains any line of
/// the base64 text `pem`.
fn assert_no_key_text(error: &KeyError, pem: &str, context: &str) {
    let message = error.to_string();
    let debug = format!("{error:?}");
    for line in pem.lines() {
        if line.starts_with("-----") || line.contains(':') || line.len() < 16 {
            continue;
        }
        assert!(
            !message.contains(line),
            "{context}: message shows key text: {message}"
        );
        assert!(
            !debug.contains(line),
            "{context}: Debug shows key text: {debug}"
        );
    }
}

/// Asserts that neither the message nor the `Debug` output of `error` contains any line of
/// the base64 body of `file_name`.
fn assert_no_key_material(error: &KeyError, file_name: &str) {
    assert_no_key_text(error, &read_key_file(file_name), file_name);
}

/// Asserts that neither the message nor the `Debug` output of `error` contains `password`.
fn assert_no_password(error: &KeyError, password: &str, context: &str) {
    let message = error.to_string();
    let debug = format!("{error:?}");
    assert!(
        !message.contains(password),
        "{context}: message shows the password: {message}"
    );
    assert!(
        !debug.contains(password),
        "{context}: Debug shows the password: {debug}"
    );
}

/// What loading a file under `tests/vectors/keys` must give.
enum Expected {
    /// An unencrypted PEM private key of this size.
    Pem(usize),
    /// An encrypted PEM private key of this size, password `test-pass`.
    EncryptedPem(usize),
    /// A PKCS#12 file with this certificate common name and subject serial number.
    Pkcs12(&'static str, &'static str),
    /// A PEM file without a private key.
    UnsupportedPem,
    /// A 1024-bit key, unencrypted or encrypted with `test-pass`.
    TooSmall,
}

/// The expected result of every file under `tests/vectors/keys`.
const KEY_FILES: &[(&str, Expected)] = &[
    ("key-a.cert.pem", Expected::UnsupportedPem),
    (
        "key-a.legacy.p12",
        Expected::Pkcs12("demo_merchant_01", "4f1d2c3b5a6978807f6e5d4c3b2a1908"),
    ),
    (
        "key-a.p12",
        Expected::Pkcs12("demo_merchant_01", "4f1d2c3b5a6978807f6e5d4c3b2a1908"),
    ),
    ("key-a.pkcs1-encrypted.pem", Expected::EncryptedPem(2048)),
    ("key-a.pkcs1.pem", Expected::Pem(2048)),
    ("key-a.pkcs8-encrypted.pem", Expected::EncryptedPem(2048)),
    ("key-a.pkcs8.pem", Expected::Pem(2048)),
    ("key-a.public.pem", Expected::UnsupportedPem),
    ("key-b.cert.pem", Expected::UnsupportedPem),
    (
        "key-b.p12",
        Expected::Pkcs12("demo_portfolio_01", "7a6b5c4d3e2f10987a6b5c4d3e2f1098"),
    ),
    ("key-b.pkcs1.pem", Expected::Pem(2048)),
    ("key-b.pkcs8-encrypted.pem", Expected::EncryptedPem(2048)),
    ("key-b.pkcs8.pem", Expected::Pem(2048)),
    ("key-b.public.pem", Expected::UnsupportedPem),
    ("key-c.pkcs1.pem", Expected::Pem(4096)),
    ("key-c.pkcs8-encrypted.pem", Expected::EncryptedPem(4096)),
    ("key-c.pkcs8.pem", Expected::Pem(4096)),
    ("key-c.public.pem", Expected::UnsupportedPem),
    ("key-small.pkcs1.pem", Expected::TooSmall),
    ("key-small.pkcs8-encrypted.pem", Expected::TooSmall),
    ("key-small.pkcs8.pem", Expected::TooSmall),
    ("key-small.public.pem", Expected::UnsupportedPem),
];

#[test]
fn every_key_file_has_expected_result() {
    let mut listed: Vec<String> = std::fs::read_dir(key_path(""))
        .expect("tests/vectors/keys should be readable")
        .map(|entry| {
            let entry = entry.expect("directory entry");
            entry.file_name().to_string_lossy().into_owned()
        })
        .collect();
    listed.sort();
    let mut covered: Vec<String> = KEY_FILES
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    covered.sort();
    assert_eq!(
        listed, covered,
        "every key file needs an entry in KEY_FILES"
    );

    for (file_name, expected) in KEY_FILES {
        let path = key_path(file_name);
        match expected {
            Expected::Pem(bits) => {
                let key = DecryptionKey::from_pem_file(&path)
                    .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
                assert_eq!(key.bits(), *bits, "{file_name}");
                let signing = RsaSigningKey::from_pem_file(&path)
                    .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
                assert_eq!(signing.bits(), *bits, "{file_name}");
            }
            Expected::EncryptedPem(bits) => {
                let key = DecryptionKey::from_encrypted_pem_file(&path, PASSWORD)
                    .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
                assert_eq!(key.bits(), *bits, "{file_name}");
                let signing = RsaSigningKey::from_encrypted_pem_file(&path, PASSWORD)
                    .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
                assert_eq!(signing.bits(), *bits, "{file_name}");
            }
            Expected::Pkcs12(common_name, serial_number) => {
                let identity = Pkcs12Identity::from_file(&path, PASSWORD)
                    .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
                let entry = identity
                    .select(common_name)
                    .unwrap_or_else(|error| panic!("{file_name}: {error}"));
                assert_eq!(entry.subject_serial_number(), Some(*serial_number));
                let key = DecryptionKey::from_pkcs12_file(&path, PASSWORD, None)
                    .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
                assert_eq!(key.bits(), 2048, "{file_name}");
            }
            Expected::UnsupportedPem => {
                let error = load_error(file_name);
                assert_eq!(
                    error.kind(),
                    KeyErrorKind::UnsupportedPem,
                    "{file_name}: {error}"
                );
                assert!(
                    error.to_string().contains(file_name),
                    "{file_name}: {error}"
                );
                assert_no_key_material(&error, file_name);
            }
            Expected::TooSmall => {
                let error = DecryptionKey::from_encrypted_pem_file(&path, PASSWORD)
                    .expect_err("a 1024-bit key is rejected");
                assert_eq!(error.kind(), KeyErrorKind::TooSmall, "{file_name}: {error}");
                assert_eq!(error.key_bits(), Some(1024), "{file_name}");
                assert!(
                    error.to_string().contains(file_name),
                    "{file_name}: {error}"
                );
                assert_no_key_material(&error, file_name);
            }
        }
    }
}

#[test]
fn pem_keys_load() {
    let cases = [
        ("key-a.pkcs8.pem", 2048),
        ("key-a.pkcs1.pem", 2048),
        ("key-b.pkcs8.pem", 2048),
        ("key-b.pkcs1.pem", 2048),
        ("key-c.pkcs8.pem", 4096),
        ("key-c.pkcs1.pem", 4096),
    ];
    for (file_name, bits) in cases {
        let key = DecryptionKey::from_pem_file(key_path(file_name))
            .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
        assert_eq!(key.bits(), bits, "{file_name}");
        assert_eq!(key.kid(), None, "{file_name}");
    }
}

#[test]
fn pem_string_loads() {
    let pem = read_key_file("key-a.pkcs8.pem");
    let from_str: DecryptionKey = pem.parse().expect("PKCS#8 PEM text should load");
    assert_eq!(from_str.bits(), 2048);

    let pkcs1 = read_key_file("key-a.pkcs1.pem");
    let from_pem_str = DecryptionKey::from_pem_str(&pkcs1).expect("PKCS#1 PEM text should load");
    assert_eq!(from_pem_str.bits(), 2048);

    let from_bytes = DecryptionKey::from_pem(pem.as_bytes()).expect("PEM bytes should load");
    assert_eq!(from_bytes.bits(), 2048);
}

#[test]
fn der_keys_load() {
    let pkcs8 = DecryptionKey::from_pkcs8_der(&pem_body_der("key-a.pkcs8.pem"))
        .expect("PKCS#8 DER should load");
    assert_eq!(pkcs8.bits(), 2048);

    let pkcs1 = DecryptionKey::from_pkcs1_der(&pem_body_der("key-c.pkcs1.pem"))
        .expect("PKCS#1 DER should load");
    assert_eq!(pkcs1.bits(), 4096);

    let error = DecryptionKey::from_pkcs8_der(b"not DER").expect_err("garbage is rejected");
    assert_eq!(error.kind(), KeyErrorKind::Invalid);
}

#[test]
fn pem_with_certificate_and_key_loads() {
    let combined = format!(
        "{}\n{}",
        read_key_file("key-a.cert.pem"),
        read_key_file("key-a.pkcs8.pem")
    );
    let key = DecryptionKey::from_pem_str(&combined).expect("the key section should load");
    assert_eq!(key.bits(), 2048);
}

#[test]
fn small_key_rejected_with_size() {
    for file_name in ["key-small.pkcs8.pem", "key-small.pkcs1.pem"] {
        let error = load_error(file_name);
        assert_eq!(error.kind(), KeyErrorKind::TooSmall, "{file_name}: {error}");
        assert_eq!(error.key_bits(), Some(1024), "{file_name}");
        let message = error.to_string();
        assert!(message.contains("1024 bits"), "{file_name}: {message}");
        assert!(message.contains("2048"), "{file_name}: {message}");
        assert_no_key_material(&error, file_name);
    }

    let der = pem_body_der("key-small.pkcs1.pem");
    let error = DecryptionKey::from_pkcs1_der(&der).expect_err("1024-bit DER is rejected");
    assert_eq!(error.kind(), KeyErrorKind::TooSmall);
}

#[test]
fn small_encrypted_key_rejected_with_size() {
    let file_name = "key-small.pkcs8-encrypted.pem";
    let pem = read_key_file(file_name);
    let error = DecryptionKey::from_encrypted_pem_str(&pem, PASSWORD)
        .expect_err("a 1024-bit key is rejected after decryption");
    assert_eq!(error.kind(), KeyErrorKind::TooSmall, "{error}");
    assert_eq!(error.key_bits(), Some(1024));
    assert_no_key_material(&error, file_name);
    assert_no_password(&error, PASSWORD, file_name);
}

#[test]
fn small_key_rejected_for_signing() {
    for file_name in ["key-small.pkcs8.pem", "key-small.pkcs1.pem"] {
        let error = RsaSigningKey::from_pem_file(key_path(file_name))
            .expect_err("a 1024-bit signing key is rejected");
        assert_eq!(error.kind(), KeyErrorKind::TooSmall, "{file_name}: {error}");
        assert_eq!(error.key_bits(), Some(1024), "{file_name}");
        assert!(
            error.to_string().contains("1024 bits"),
            "{file_name}: {error}"
        );
    }
    let error =
        RsaSigningKey::from_encrypted_pem_file(key_path("key-small.pkcs8-encrypted.pem"), PASSWORD)
            .expect_err("a 1024-bit signing key is rejected");
    assert_eq!(error.kind(), KeyErrorKind::TooSmall, "{error}");
    assert_eq!(MIN_KEY_BITS, 2048);
}

#[test]
fn certificate_pem_rejected() {
    for file_name in ["key-a.cert.pem", "key-b.cert.pem"] {
        let error = load_error(file_name);
        assert_eq!(error.kind(), KeyErrorKind::UnsupportedPem, "{file_name}");
        let message = error.to_string();
        assert!(message.contains("certificate"), "message: {message}");
        assert!(message.contains(file_name), "message: {message}");
        assert_no_key_material(&error, file_name);
    }
}

#[test]
fn public_key_pem_rejected() {
    for file_name in [
        "key-a.public.pem",
        "key-b.public.pem",
        "key-c.public.pem",
        "key-small.public.pem",
    ] {
        let error = load_error(file_name);
        assert_eq!(error.kind(), KeyErrorKind::UnsupportedPem, "{file_name}");
        let message = error.to_string();
        assert!(message.contains("public key"), "message: {message}");
        assert!(message.contains("private key"), "message: {message}");
        assert!(message.contains(file_name), "message: {message}");
        assert_no_key_material(&error, file_name);

        let error = DecryptionKey::from_encrypted_pem_file(key_path(file_name), PASSWORD)
            .expect_err("a public key is rejected with a password too");
        assert_eq!(error.kind(), KeyErrorKind::UnsupportedPem, "{file_name}");
    }
}

#[test]
fn encrypted_pem_needs_password() {
    for file_name in [
        "key-a.pkcs8-encrypted.pem",
        "key-a.pkcs1-encrypted.pem",
        "key-b.pkcs8-encrypted.pem",
        "key-c.pkcs8-encrypted.pem",
        "key-small.pkcs8-encrypted.pem",
    ] {
        let error = load_error(file_name);
        assert_eq!(
            error.kind(),
            KeyErrorKind::Encrypted,
            "{file_name}: {error}"
        );
        let message = error.to_string();
        assert!(
            message.contains("from_encrypted_pem"),
            "{file_name}: {message}"
        );
        assert!(message.contains(file_name), "{file_name}: {message}");
        assert_no_key_material(&error, file_name);
    }
}

#[test]
fn encrypted_pem_loads_from_path_bytes_and_string() {
    let cases = [
        ("key-a.pkcs8-encrypted.pem", "key-a.pkcs1.pem", 2048),
        ("key-a.pkcs1-encrypted.pem", "key-a.pkcs1.pem", 2048),
        ("key-b.pkcs8-encrypted.pem", "key-b.pkcs1.pem", 2048),
        ("key-c.pkcs8-encrypted.pem", "key-c.pkcs1.pem", 4096),
    ];
    for (file_name, plain_file_name, bits) in cases {
        let from_path = DecryptionKey::from_encrypted_pem_file(key_path(file_name), PASSWORD)
            .unwrap_or_else(|error| panic!("{file_name} should load from its path: {error}"));
        assert_eq!(from_path.bits(), bits, "{file_name}");

        let bytes = read_key_bytes(file_name);
        let from_bytes = DecryptionKey::from_encrypted_pem(&bytes, PASSWORD)
            .unwrap_or_else(|error| panic!("{file_name} should load from bytes: {error}"));
        assert_eq!(from_bytes.bits(), bits, "{file_name}");

        let text = read_key_file(file_name);
        let from_str = DecryptionKey::from_encrypted_pem_str(&text, PASSWORD)
            .unwrap_or_else(|error| panic!("{file_name} should load from text: {error}"));
        assert_eq!(from_str.bits(), bits, "{file_name}");

        // The decrypted key is the same key as the unencrypted file.
        let signing = RsaSigningKey::from_encrypted_pem_str(&text, PASSWORD)
            .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
        assert_eq!(
            signing.pkcs1_der(),
            pem_body_der(plain_file_name).as_slice(),
            "{file_name}"
        );
    }
}

#[test]
fn unencrypted_pem_loads_with_password() {
    for file_name in ["key-a.pkcs8.pem", "key-a.pkcs1.pem"] {
        let key = DecryptionKey::from_encrypted_pem_file(key_path(file_name), PASSWORD)
            .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
        assert_eq!(key.bits(), 2048, "{file_name}");
    }
}

#[test]
fn encrypted_pem_wrong_password_rejected() {
    for file_name in [
        "key-a.pkcs8-encrypted.pem",
        "key-a.pkcs1-encrypted.pem",
        "key-b.pkcs8-encrypted.pem",
        "key-c.pkcs8-encrypted.pem",
        "key-small.pkcs8-encrypted.pem",
    ] {
        let error = DecryptionKey::from_encrypted_pem_file(key_path(file_name), WRONG_PASSWORD)
            .expect_err("a wrong password is rejected");
        assert_eq!(
            error.kind(),
            KeyErrorKind::WrongPassword,
            "{file_name}: {error}"
        );
        let message = error.to_string();
        assert!(message.contains(file_name), "{file_name}: {message}");
        assert!(
            message.contains("password is wrong"),
            "{file_name}: {message}"
        );
        assert_no_password(&error, WRONG_PASSWORD, file_name);
        assert_no_key_material(&error, file_name);

        let error = DecryptionKey::from_encrypted_pem_file(key_path(file_name), "")
            .expect_err("an empty password is rejected");
        assert_eq!(error.kind(), KeyErrorKind::WrongPassword, "{file_name}");
    }

    for (name, pem) in [
        ("AES-128-CBC", KEY_B_TRADITIONAL_AES_128),
        ("AES-192-CBC", KEY_B_TRADITIONAL_AES_192),
        ("DES-EDE3-CBC", KEY_B_TRADITIONAL_DES_EDE3),
        ("PBES2 scrypt", KEY_B_PBES2_SCRYPT),
        ("PBES2 SHA-1 DES-EDE3", KEY_B_PBES2_SHA1_DES_EDE3),
    ] {
        let error = RsaSigningKey::from_encrypted_pem_str(pem, WRONG_PASSWORD)
            .expect_err("a wrong password is rejected");
        assert_eq!(error.kind(), KeyErrorKind::WrongPassword, "{name}: {error}");
        assert_no_password(&error, WRONG_PASSWORD, name);
        assert_no_key_text(&error, pem, name);
    }
}

#[test]
fn traditional_ciphers_load() {
    for (name, pem) in [
        ("AES-128-CBC", KEY_B_TRADITIONAL_AES_128),
        ("AES-192-CBC", KEY_B_TRADITIONAL_AES_192),
        ("DES-EDE3-CBC", KEY_B_TRADITIONAL_DES_EDE3),
    ] {
        let signing = RsaSigningKey::from_encrypted_pem_str(pem, PASSWORD)
            .unwrap_or_else(|error| panic!("{name} should load: {error}"));
        assert_eq!(signing.pkcs1_der(), key_b_pkcs1_der().as_slice(), "{name}");
        let key = DecryptionKey::from_encrypted_pem(pem.as_bytes(), PASSWORD)
            .unwrap_or_else(|error| panic!("{name} should load: {error}"));
        assert_eq!(key.bits(), 2048, "{name}");
    }
}

#[test]
fn pbes2_variants_load() {
    for (name, pem) in [
        ("PBES2 scrypt", KEY_B_PBES2_SCRYPT),
        ("PBES2 SHA-1 DES-EDE3", KEY_B_PBES2_SHA1_DES_EDE3),
    ] {
        let signing = RsaSigningKey::from_encrypted_pem_str(pem, PASSWORD)
            .unwrap_or_else(|error| panic!("{name} should load: {error}"));
        assert_eq!(signing.pkcs1_der(), key_b_pkcs1_der().as_slice(), "{name}");
    }
}

#[test]
fn pbes1_pkcs8_rejected_with_advice() {
    let error = DecryptionKey::from_encrypted_pem_str(KEY_B_PBES1_SHA1_3DES, PASSWORD)
        .expect_err("PBES1 is not supported");
    assert_eq!(error.kind(), KeyErrorKind::UnsupportedEncryption, "{error}");
    let message = error.to_string();
    assert!(message.contains("1.2.840.113549.1.12.1.3"), "{message}");
    assert!(message.contains("openssl pkcs8 -topk8"), "{message}");
}

#[test]
fn unknown_traditional_cipher_rejected() {
    let pem = KEY_B_TRADITIONAL_AES_128.replace("AES-128-CBC", "CAMELLIA-128-CBC");
    let error = DecryptionKey::from_encrypted_pem_str(&pem, PASSWORD)
        .expect_err("Camellia is not supported");
    assert_eq!(error.kind(), KeyErrorKind::UnsupportedEncryption, "{error}");
    assert!(error.to_string().contains("CAMELLIA-128-CBC"), "{error}");

    let pem =
        KEY_B_TRADITIONAL_AES_128.replace("DEK-Info: AES-128-CBC,CA", "DEK-Info: AES-128-CBC,");
    let error = DecryptionKey::from_encrypted_pem_str(&pem, PASSWORD)
        .expect_err("the IV is one byte short");
    assert_eq!(error.kind(), KeyErrorKind::Invalid, "{error}");
}

#[test]
fn truncated_encrypted_pem_rejected() {
    let file_name = "key-a.pkcs1-encrypted.pem";
    let text = read_key_file(file_name);
    let mut lines: Vec<&str> = text.lines().collect();
    // Drop one 64-character body line, which keeps whole base64 quanta but leaves a
    // ciphertext whose length is not a multiple of the AES block.
    lines.remove(6);
    let truncated = lines.join("\n");
    let error = DecryptionKey::from_encrypted_pem_str(&truncated, PASSWORD)
        .expect_err("a truncated ciphertext is rejected");
    assert_eq!(error.kind(), KeyErrorKind::WrongPassword, "{error}");
}

#[test]
fn pkcs12_files_read() {
    let cases = [
        (
            "key-a.p12",
            "key-a.cert.pem",
            "key-a.pkcs1.pem",
            "demo_merchant_01",
            "4f1d2c3b5a6978807f6e5d4c3b2a1908",
        ),
        (
            "key-a.legacy.p12",
            "key-a.cert.pem",
            "key-a.pkcs1.pem",
            "demo_merchant_01",
            "4f1d2c3b5a6978807f6e5d4c3b2a1908",
        ),
        (
            "key-b.p12",
            "key-b.cert.pem",
            "key-b.pkcs1.pem",
            "demo_portfolio_01",
            "7a6b5c4d3e2f10987a6b5c4d3e2f1098",
        ),
    ];
    for (file_name, cert_file_name, pkcs1_file_name, common_name, serial_number) in cases {
        let identity = Pkcs12Identity::from_file(key_path(file_name), PASSWORD)
            .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
        assert_eq!(identity.entries().len(), 1, "{file_name}");
        assert_eq!(identity.common_names(), [common_name], "{file_name}");

        let entry = identity
            .select(common_name)
            .unwrap_or_else(|error| panic!("{file_name}: {error}"));
        assert_eq!(entry.common_name(), Some(common_name), "{file_name}");
        assert_eq!(
            entry.subject_serial_number(),
            Some(serial_number),
            "{file_name}"
        );
        assert_eq!(
            entry.certificate_der(),
            pem_body_der(cert_file_name).as_slice(),
            "{file_name}"
        );

        let signing = entry
            .signing_key()
            .unwrap_or_else(|error| panic!("{file_name}: {error}"));
        assert_eq!(signing.bits(), 2048, "{file_name}");
        assert_eq!(
            signing.pkcs1_der(),
            pem_body_der(pkcs1_file_name).as_slice(),
            "{file_name}"
        );
        assert_eq!(signing.pkcs8_der(), entry.private_key_pkcs8_der());

        let debug = format!("{identity:?}");
        assert!(debug.contains(serial_number), "{file_name}: {debug}");
    }
}

#[test]
fn pkcs12_loads_from_path_bytes_and_base64() {
    for file_name in ["key-a.p12", "key-a.legacy.p12"] {
        let path = key_path(file_name);
        let bytes = read_key_bytes(file_name);
        let base64 = STANDARD.encode(&bytes);
        // An environment variable may hold the base64 text wrapped over several lines.
        let wrapped: String = base64
            .as_bytes()
            .chunks(64)
            .map(|line| format!("{}\n", String::from_utf8_lossy(line)))
            .collect();

        let keys = [
            DecryptionKey::from_pkcs12_file(&path, PASSWORD, None),
            DecryptionKey::from_pkcs12(&bytes, PASSWORD, None),
            DecryptionKey::from_pkcs12_base64(&base64, PASSWORD, None),
            DecryptionKey::from_pkcs12_base64(&wrapped, PASSWORD, Some("demo_merchant_01")),
        ];
        for key in keys {
            let key = key.unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
            assert_eq!(key.bits(), 2048, "{file_name}");
        }

        let identity = Pkcs12Identity::from_base64(&wrapped, PASSWORD)
            .unwrap_or_else(|error| panic!("{file_name} should load: {error}"));
        assert_eq!(identity.common_names(), ["demo_merchant_01"]);
    }
}

#[test]
fn pkcs12_name_matches_case_insensitively() {
    let identity =
        Pkcs12Identity::from_file(key_path("key-b.p12"), PASSWORD).expect("key-b.p12 loads");
    let entry = identity
        .select("DEMO_Portfolio_01")
        .expect("case is ignored");
    assert_eq!(entry.common_name(), Some("demo_portfolio_01"));

    let key =
        DecryptionKey::from_pkcs12_file(key_path("key-b.p12"), PASSWORD, Some("Demo_Portfolio_01"))
            .expect("case is ignored");
    assert_eq!(key.bits(), 2048);
}

#[test]
fn pkcs12_unknown_name_lists_common_names() {
    let path = key_path("key-a.p12");
    let error = DecryptionKey::from_pkcs12_file(&path, PASSWORD, Some("other_merchant"))
        .expect_err("no entry has that name");
    assert_eq!(error.kind(), KeyErrorKind::EntryNotFound, "{error}");
    let message = error.to_string();
    assert!(message.contains("\"other_merchant\""), "{message}");
    assert!(message.contains("\"demo_merchant_01\""), "{message}");
    assert!(message.contains("key-a.p12"), "{message}");

    let identity = Pkcs12Identity::from_file(&path, PASSWORD).expect("key-a.p12 loads");
    let error = identity
        .select("demo_merchant_02")
        .expect_err("no entry has that name");
    assert_eq!(error.kind(), KeyErrorKind::EntryNotFound);
}

#[test]
fn pkcs12_wrong_password_rejected() {
    for file_name in ["key-a.p12", "key-a.legacy.p12", "key-b.p12"] {
        let path = key_path(file_name);
        for password in [WRONG_PASSWORD, ""] {
            let error = Pkcs12Identity::from_file(&path, password)
                .expect_err("a wrong password is rejected");
            assert_eq!(
                error.kind(),
                KeyErrorKind::WrongPassword,
                "{file_name}: {error}"
            );
            assert!(
                error.to_string().contains(file_name),
                "{file_name}: {error}"
            );
            if !password.is_empty() {
                assert_no_password(&error, password, file_name);
            }
        }

        let error = DecryptionKey::from_pkcs12_file(&path, WRONG_PASSWORD, None)
            .expect_err("a wrong password is rejected");
        assert_eq!(error.kind(), KeyErrorKind::WrongPassword, "{file_name}");
        assert_no_password(&error, WRONG_PASSWORD, file_name);

        let error = RsaSigningKey::from_pkcs12_file(&path, WRONG_PASSWORD, None)
            .expect_err("a wrong password is rejected");
        assert_eq!(error.kind(), KeyErrorKind::WrongPassword, "{file_name}");
    }
}

#[test]
fn pkcs12_loader_rejects_other_formats() {
    for file_name in [
        "key-a.pkcs8.pem",
        "key-a.cert.pem",
        "key-a.pkcs8-encrypted.pem",
    ] {
        let error = DecryptionKey::from_pkcs12_file(key_path(file_name), PASSWORD, None)
            .expect_err("PEM is not PKCS#12");
        assert_eq!(
            error.kind(),
            KeyErrorKind::NotPkcs12,
            "{file_name}: {error}"
        );
        let message = error.to_string();
        assert!(message.contains(file_name), "{file_name}: {message}");
        assert!(message.contains("from_pem"), "{file_name}: {message}");
        assert_no_key_material(&error, file_name);
    }

    let der = pem_body_der("key-a.pkcs8.pem");
    let error = Pkcs12Identity::from_der(&der, PASSWORD).expect_err("PKCS#8 DER is not PKCS#12");
    assert_eq!(error.kind(), KeyErrorKind::NotPkcs12, "{error}");

    for input in [&b""[..], b"not a PFX", &[0x30, 0x03, 0x02, 0x01, 0x03]] {
        let error = Pkcs12Identity::from_der(input, PASSWORD).expect_err("not a PFX");
        assert!(
            matches!(
                error.kind(),
                KeyErrorKind::NotPkcs12 | KeyErrorKind::Invalid
            ),
            "{error}"
        );
    }

    let error = Pkcs12Identity::from_base64("not base64!", PASSWORD).expect_err("not base64");
    assert_eq!(error.kind(), KeyErrorKind::NotPkcs12);
}

#[test]
fn pem_loader_rejects_pkcs12() {
    for file_name in ["key-a.p12", "key-a.legacy.p12"] {
        let error = load_error(file_name);
        assert_eq!(error.kind(), KeyErrorKind::NotPem, "{file_name}: {error}");
        let message = error.to_string();
        assert!(message.contains(file_name), "{file_name}: {message}");
        assert!(message.contains("from_pkcs12"), "{file_name}: {message}");

        let error = DecryptionKey::from_encrypted_pem_file(key_path(file_name), PASSWORD)
            .expect_err("PKCS#12 is not PEM");
        assert_eq!(error.kind(), KeyErrorKind::NotPem, "{file_name}: {error}");
    }
}

#[test]
fn pkcs12_with_two_keys_selects_by_name() {
    let bytes = two_entry_pkcs12();
    let identity = Pkcs12Identity::from_der(&bytes, PASSWORD).expect("the file loads");
    let mut names = identity.common_names();
    names.sort_unstable();
    assert_eq!(names, ["demo_merchant_01", "demo_portfolio_01"]);

    let merchant = identity.select("demo_merchant_01").expect("key A");
    assert_eq!(
        merchant.subject_serial_number(),
        Some("4f1d2c3b5a6978807f6e5d4c3b2a1908")
    );
    let merchant_key = merchant.signing_key().expect("key A signs");
    assert_eq!(
        merchant_key.pkcs1_der(),
        pem_body_der("key-a.pkcs1.pem").as_slice()
    );

    let portfolio = identity.select("demo_portfolio_01").expect("key B");
    let portfolio_key = portfolio.signing_key().expect("key B signs");
    assert_eq!(portfolio_key.pkcs1_der(), key_b_pkcs1_der().as_slice());

    let error = DecryptionKey::from_pkcs12(&bytes, PASSWORD, None)
        .expect_err("two keys and no name is ambiguous");
    assert_eq!(error.kind(), KeyErrorKind::AmbiguousEntry, "{error}");
    let message = error.to_string();
    assert!(message.contains("\"demo_merchant_01\""), "{message}");
    assert!(message.contains("\"demo_portfolio_01\""), "{message}");

    let key = DecryptionKey::from_pkcs12(&bytes, PASSWORD, Some("demo_portfolio_01"))
        .expect("the name chooses key B");
    assert_eq!(key.bits(), 2048);
}

/// Writes a PKCS#12 file with key A and key B, each with its certificate.
fn two_entry_pkcs12() -> Vec<u8> {
    use p12_keystore::{Certificate, KeyStore, KeyStoreEntry, PrivateKey, PrivateKeyChain};

    let mut keystore = KeyStore::new();
    for (alias, key_file, cert_file) in [
        ("merchant", "key-a.pkcs8.pem", "key-a.cert.pem"),
        ("portfolio", "key-b.pkcs8.pem", "key-b.cert.pem"),
    ] {
        let key = PrivateKey::from_der(&pem_body_der(key_file)).expect("PKCS#8 key");
        let certificate = Certificate::from_der(&pem_body_der(cert_file)).expect("certificate");
        let chain = PrivateKeyChain::new(alias, key, [certificate]);
        keystore.add_entry(alias, KeyStoreEntry::PrivateKeyChain(chain));
    }
    keystore
        .writer(PASSWORD)
        .write()
        .expect("p12-keystore writes the file")
}

#[test]
fn signing_key_signs_rs256() {
    let identity =
        Pkcs12Identity::from_file(key_path("key-a.p12"), PASSWORD).expect("key-a.p12 loads");
    let entry = identity.select("demo_merchant_01").expect("the entry");
    let key = entry.signing_key().expect("the key signs");

    let message = b"header.claims";
    let signature = key.sign_rs256(message).expect("signing succeeds");
    assert_eq!(signature.len(), 256);
    let public_key = UnparsedPublicKey::new(
        &signature::RSA_PKCS1_2048_8192_SHA256,
        key.key_pair().public_key().as_ref(),
    );
    public_key
        .verify(message, &signature)
        .expect("the signature verifies with the public key");

    // The exported forms load in aws-lc-rs directly.
    let from_pkcs8 = signature::RsaKeyPair::from_pkcs8(key.pkcs8_der()).expect("PKCS#8 loads");
    let from_pkcs1 = signature::RsaKeyPair::from_der(key.pkcs1_der()).expect("PKCS#1 loads");
    assert_eq!(
        from_pkcs8.public_key().as_ref(),
        key.key_pair().public_key().as_ref()
    );
    assert_eq!(
        from_pkcs1.public_key().as_ref(),
        key.key_pair().public_key().as_ref()
    );

    let from_pem = RsaSigningKey::from_pem_file(key_path("key-a.pkcs8.pem")).expect("PEM loads");
    assert_eq!(from_pem.pkcs1_der(), key.pkcs1_der());
    assert_eq!(format!("{key:?}"), "RsaSigningKey { bits: 2048, .. }");
}

#[test]
fn missing_file_names_path() {
    let path = key_path("no-such-key.pem");
    let errors = [
        DecryptionKey::from_pem_file(&path).expect_err("the file does not exist"),
        DecryptionKey::from_encrypted_pem_file(&path, PASSWORD).expect_err("no file"),
        DecryptionKey::from_pkcs12_file(&path, PASSWORD, None).expect_err("no file"),
        Pkcs12Identity::from_file(&path, PASSWORD).expect_err("no file"),
        RsaSigningKey::from_pem_file(&path).expect_err("no file"),
    ];
    for error in errors {
        assert_eq!(error.kind(), KeyErrorKind::Io, "{error}");
        assert_eq!(error.path(), Some(path.as_path()));
        let message = error.to_string();
        assert!(message.contains("no-such-key.pem"), "message: {message}");
        assert!(std::error::Error::source(&error).is_some());
    }
}

#[test]
fn non_pem_input_rejected() {
    let error = DecryptionKey::from_pem(b"just some text").expect_err("not PEM");
    assert_eq!(error.kind(), KeyErrorKind::NotPem);
    assert!(
        error.to_string().contains("from_pkcs8_der"),
        "message: {error}"
    );

    let unterminated = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n";
    let error = DecryptionKey::from_pem_str(unterminated).expect_err("no END line");
    assert_eq!(error.kind(), KeyErrorKind::NotPem);
    assert!(!error.to_string().contains("MIIEvQ"), "message: {error}");
}

#[test]
fn two_private_keys_rejected() {
    let two = format!(
        "{}\n{}",
        read_key_file("key-a.pkcs8.pem"),
        read_key_file("key-b.pkcs8-encrypted.pem")
    );
    let error =
        DecryptionKey::from_encrypted_pem_str(&two, PASSWORD).expect_err("two keys are ambiguous");
    assert_eq!(error.kind(), KeyErrorKind::UnsupportedPem);
    assert!(
        error.to_string().contains("2 private keys"),
        "message: {error}"
    );
}

#[test]
fn invalid_key_body_rejected() {
    let pem = "-----BEGIN PRIVATE KEY-----\nAAECAwQF\n-----END PRIVATE KEY-----\n";
    let error = DecryptionKey::from_pem_str(pem).expect_err("not a PKCS#8 structure");
    assert_eq!(error.kind(), KeyErrorKind::Invalid);

    let pem =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAECAwQF\n-----END ENCRYPTED PRIVATE KEY-----\n";
    let error = DecryptionKey::from_encrypted_pem_str(pem, PASSWORD)
        .expect_err("not an EncryptedPrivateKeyInfo");
    assert_eq!(error.kind(), KeyErrorKind::Invalid);
}

#[test]
fn garbage_inputs_return_errors() {
    let encrypted = read_key_bytes("key-a.pkcs8-encrypted.pem");
    let p12 = read_key_bytes("key-a.p12");
    // Cutting the inputs at every length must give errors, never panics.
    for len in (0..encrypted.len()).step_by(97) {
        let _ = DecryptionKey::from_encrypted_pem(&encrypted[..len], PASSWORD);
    }
    for len in (0..p12.len()).step_by(61) {
        let _ = Pkcs12Identity::from_der(&p12[..len], PASSWORD);
    }
    let mut flipped = p12.clone();
    for index in (0..flipped.len()).step_by(53) {
        flipped[index] ^= 0x55;
        let _ = Pkcs12Identity::from_der(&flipped, PASSWORD);
        flipped[index] ^= 0x55;
    }
}

#[test]
fn debug_shows_size_and_kid_only() {
    let key = DecryptionKey::from_pem_file(key_path("key-a.pkcs8.pem"))
        .expect("key A should load")
        .with_kid("8f3a1c0e");
    assert_eq!(key.kid(), Some("8f3a1c0e"));
    assert_eq!(
        format!("{key:?}"),
        "DecryptionKey { bits: 2048, kid: Some(\"8f3a1c0e\") }"
    );
}

#[test]
fn key_types_are_send_sync_clone() {
    fn assert_send_sync_clone<T: Send + Sync + Clone>() {}
    assert_send_sync_clone::<DecryptionKey>();
    assert_send_sync_clone::<cybersource_tms::keys::DecryptionKeys>();
    assert_send_sync_clone::<RsaSigningKey>();
    assert_send_sync_clone::<Pkcs12Identity>();
}

#[test]
fn pem_with_escaped_newlines_loads() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/vectors/keys/key-a.pkcs8.pem"
    );
    let pem = std::fs::read_to_string(path).unwrap();
    let one_line = pem.replace("\r\n", "\n").replace('\n', "\\n");
    let with_crlf_escapes = pem.replace('\n', "\\r\\n");

    assert!(!one_line.contains('\n'));
    assert!(cybersource_tms::DecryptionKey::from_pem_str(&one_line).is_ok());
    assert!(cybersource_tms::DecryptionKey::from_pem_str(&with_crlf_escapes).is_ok());
}
