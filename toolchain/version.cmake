# The kit's version: the runtime, minwdm.sys, minwdmctl and the packages carry it.
set(MINWDM_KIT_VERSION 0.2.0)
