# dialab — see README.md.  `make demo` and `make check` are the two commands.
VERSION  = 0.1.0
PREFIX  ?= /usr/local
BINDIR  ?= $(PREFIX)/bin
MANDIR  ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share/dialab

CC      ?= cc
CFLAGS  ?= -g -O2
CPPFLAGS += -Iinclude -Ibuild -D_POSIX_C_SOURCE=200809L -D_XOPEN_SOURCE=700 \
            -D_DEFAULT_SOURCE -DDIALAB_VERSION='"$(VERSION)"' \
            -DDIALAB_MANDIR='"$(MANDIR)"' -DDIALAB_DATADIR='"$(DATADIR)"'
WFLAGS   = -std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wconversion -Wformat=2 -Wvla
LDLIBS  += -lsqlite3 -ljansson -lreadline $(shell pkg-config --libs ncursesw 2>/dev/null || echo -lncursesw) -lm
SANFLAGS = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

# The layers, bottom up: each folder includes only from those before it
# (HACKING.md).  The library is every layer but the screen and the commands.
LAYERS   = lib format store model learn io review teach
LIB_SRC  = $(foreach d,$(LAYERS),$(wildcard src/$(d)/*.c))
UI_SRC   = $(wildcard src/ui/*.c)
CMD_SRC  = $(wildcard src/cmd/*.c)
GEN_HDRS = build/schema.h build/catalog-json.h
UNIT_SRC = $(wildcard tests/unit/t-*.c)

LIB_OBJ  = $(patsubst src/%.c,build/obj/%.o,$(LIB_SRC))
SAN_LIB_OBJ = $(patsubst src/%.c,build/san/%.o,$(LIB_SRC))
OBJ      = $(patsubst src/%.c,build/obj/%.o,$(UI_SRC) $(CMD_SRC))
SAN_OBJ  = $(patsubst src/%.c,build/san/%.o,$(UI_SRC) $(CMD_SRC))
LIB      = build/libdialab.a
SAN_LIB  = build/san/libdialab.a
UNIT     = $(patsubst tests/unit/%.c,build/tests/%,$(UNIT_SRC))
SAN_UNIT = $(patsubst tests/unit/%.c,build/san/tests/%,$(UNIT_SRC))
DEPFLAGS = -MMD -MP
CMD_T    = $(wildcard tests/cmd/t-*.sh)
TUI_T    = $(wildcard tests/tui/t-*.sh)
MAN1     = $(wildcard man/*.1)
MAN5     = $(wildcard man/*.5)

PROVE    = prove --exec tests/run-one
SHARED  ?= ../shared

all: dialab

deps:
	@scripts/deps.sh build

dialab: build/obj/dialab.o $(OBJ) $(LIB)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

build/san/dialab: build/san/dialab.o $(SAN_OBJ) $(SAN_LIB)
	$(CC) $(SANFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(SAN_LIB): $(SAN_LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# Header dependencies come from the compiler (-MMD -MP, the .d files);
# the generated headers must exist before the first compile.
build/obj/%.o: src/%.c | $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WFLAGS) $(DEPFLAGS) -c -o $@ $<

build/san/%.o: src/%.c | $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(SANFLAGS) $(WFLAGS) $(DEPFLAGS) -c -o $@ $<

build/schema.h: db/schema.sql
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp
	mv $@.tmp $@

build/catalog-json.h: db/catalog.json
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' $< > $@.tmp
	mv $@.tmp $@

# Unit tests link the library only: no screen, no commands.
build/tests/%: tests/unit/%.c tests/tap.h $(LIB) | $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(CFLAGS) $(WFLAGS) $(DEPFLAGS) -o $@ $< $(LIB) $(LDLIBS)

build/san/tests/%: tests/unit/%.c tests/tap.h $(SAN_LIB) | $(GEN_HDRS)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -Itests $(SANFLAGS) $(WFLAGS) $(DEPFLAGS) -o $@ $< $(SAN_LIB) $(LDLIBS)

check: check-deps
	$(MAKE) dialab build/san/dialab $(UNIT) $(SAN_UNIT)
	mandoc -Tlint -W warning $(MAN1) $(MAN5)
	$(PROVE) $(UNIT) $(CMD_T) $(TUI_T)
	DIALAB_BIN=build/san/dialab $(PROVE) $(SAN_UNIT) $(CMD_T)
	DIALAB_VALGRIND=1 $(PROVE) $(CMD_T)

check-deps:
	@scripts/deps.sh check

demo: deps
	$(MAKE) dialab
	./dialab demo

bench: check-deps
	$(MAKE) dialab build/snips-quality
	DIALAB_SHARED=$(SHARED) tests/bench/run.sh

build/snips-quality: tests/bench/snips-quality.c $(LIB)
	$(CC) $(CPPFLAGS) $(CFLAGS) $(WFLAGS) -o $@ $< $(LIB) $(LDLIBS)

install: dialab
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	install -m 755 dialab $(DESTDIR)$(BINDIR)/dialab
	install -m 644 $(MAN1) $(DESTDIR)$(MANDIR)/man1
	install -m 644 $(MAN5) $(DESTDIR)$(MANDIR)/man5
	install -d $(DESTDIR)$(DATADIR)
	install -m 644 db/demo.jsonl $(DESTDIR)$(DATADIR)/demo.jsonl

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/dialab
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(MAN1)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(DESTDIR)$(DATADIR)/demo.jsonl
	-rmdir $(DESTDIR)$(DATADIR) 2>/dev/null

clean:
	rm -rf build dialab db/demo.db db/demo.db-wal db/demo.db-shm

.PHONY: all deps check check-deps demo bench install uninstall clean
.DELETE_ON_ERROR:

-include $(patsubst %.o,%.d,$(LIB_OBJ) $(SAN_LIB_OBJ) $(OBJ) $(SAN_OBJ) build/obj/dialab.o build/san/dialab.o) \
	$(UNIT:=.d) $(SAN_UNIT:=.d)
