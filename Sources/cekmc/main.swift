import CekmcCLI

Cekmc.main()
